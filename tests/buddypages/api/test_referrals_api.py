"""``/api/v3/referrals/``: the referral guide for other front ends."""

import pytest

from buddypages.pages.referrals import ReferralService

pytestmark = pytest.mark.django_db


def test_the_guide_lists_services_with_how_to_reach_them_in_the_language_asked(client, demo):
    response = client.get("/api/v3/referrals/?locale=ar&limit=100")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 12
    assert {item["locale"] for item in data["items"]} == {"ar"}
    vdab = next(item for item in data["items"] if "VDAB" in item["name"])
    assert vdab["name"] == "متجر العمل VDAB هايدستاد"
    assert vdab["category"] == "work"
    assert vdab["category_label"] == "العمل"
    assert vdab["phone"] == "011 99 20 00"
    assert vdab["opening_hours"] == "من الإثنين إلى الجمعة من 8:30 إلى 12:30"
    assert vdab["map_url"].startswith("https://www.openstreetmap.org/search?query=Industrielaan")
    assert {"code": "nl", "name": "الهولندية"} in vdab["languages"]
    dutch = ReferralService.objects.get(translation_key=vdab["key"], locale__language_code="nl")
    assert {"locale": "nl", "id": dutch.pk} in vdab["translations"]


def test_the_guide_filters_by_theme_and_by_a_language_spoken(client, demo):
    health = client.get("/api/v3/referrals/?locale=nl&category=health").json()["items"]
    assert health
    assert {item["category"] for item in health} == {"health"}
    tigrinya = client.get("/api/v3/referrals/?locale=nl&language=ti").json()["items"]
    assert [item["name"] for item in tigrinya] == [
        "Agentschap Integratie en Inburgering, kantoor Heidestad"
    ]
    # "ar" is not found inside another code ("ber" would contain no "ar", "prs" no "ps").
    pashto = client.get("/api/v3/referrals/?language=ps").json()
    assert pashto["count"] == 0


def test_one_service_and_a_missing_one(client, demo):
    service = ReferralService.objects.get(locale__language_code="fr", name__startswith="CAW")
    data = client.get(f"/api/v3/referrals/{service.pk}/").json()
    assert data["name"] == "CAW Heidestad (centre d'aide sociale générale)"
    assert data["email"] == "onthaal@caw-heidestad.example"
    missing = client.get("/api/v3/referrals/999999999/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "field"),
    [("locale=xx", "locale"), ("category=pets", "category"), ("language=a;b", "language")],
)
def test_bad_filters_are_422_naming_the_field(client, demo, query, field):
    response = client.get(f"/api/v3/referrals/?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == field


def test_reads_are_cacheable_and_move_when_an_editor_changes_the_guide(client, demo):
    first = client.get("/api/v3/referrals/?locale=nl")
    assert first["Cache-Control"].startswith("public, max-age=")
    etag = first["ETag"]
    assert client.get("/api/v3/referrals/?locale=nl", HTTP_IF_NONE_MATCH=etag).status_code == 304
    service = ReferralService.objects.filter(locale__language_code="nl").first()
    service.opening_hours = "ma-vr 10:00-11:00"
    service.save()
    assert client.get("/api/v3/referrals/?locale=nl", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_list_takes_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/api/v3/referrals/?limit=100").json()["count"] >= 48


def test_the_openapi_document_describes_the_guide(client, demo):
    document = client.get("/api/v3/openapi.json").json()
    listing = document["paths"]["/api/v3/referrals/"]["get"]
    assert listing["operationId"] == "list_referrals"
    assert {p["name"] for p in listing["parameters"]} >= {"locale", "category", "language"}
    assert "304" in listing["responses"]
    detail = document["paths"]["/api/v3/referrals/{id}/"]["get"]
    assert detail["operationId"] == "get_referral"
    assert "404" in detail["responses"]
