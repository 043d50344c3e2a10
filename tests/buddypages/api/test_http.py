"""What every answer of /api/v3/ shares: problem details in the reader's language, ETags and
304s that move with published content, CORS for reads, no redirects to a language prefix."""

import pytest
from wagtail.models import Locale

from buddypages.pages.models import LanguageTipPage

pytestmark = pytest.mark.django_db

TIPS = "/api/v3/tips/"


def test_tips_in_arabic_count_the_live_arabic_tips_and_link_the_next_page(client, demo):
    arabic = Locale.objects.get(language_code="ar")
    live = LanguageTipPage.objects.live().public().filter(locale=arabic).count()
    assert live > 3

    body = client.get(TIPS, {"locale": "ar", "limit": 2}).json()

    assert body["count"] == live
    assert [item["locale"] for item in body["items"]] == ["ar", "ar"]
    assert body["previous"] is None
    assert body["next"].startswith("http://")
    assert "offset=2" in body["next"]
    assert "locale=ar" in body["next"]
    second = client.get(body["next"]).json()
    assert second["previous"] is not None
    assert {i["id"] for i in second["items"]}.isdisjoint({i["id"] for i in body["items"]})


def test_a_tip_lists_its_translations_with_their_addresses(client, demo):
    tip = client.get(TIPS, {"locale": "ar", "limit": 1}).json()["items"][0]
    page = LanguageTipPage.objects.get(pk=tip["id"])
    others = LanguageTipPage.objects.live().filter(translation_key=page.translation_key)
    expected = {p.locale.language_code for p in others if p.pk != page.pk}

    assert {t["locale"] for t in tip["translations"]} == expected
    assert tip["url"].endswith(f"/ar/{page.get_url_parts()[2].split('/', 2)[2]}")
    assert tip["path"].startswith("/ar/")
    assert tip["phrase"] == page.phrase  # the Dutch phrase, in every language
    assert all(t["url"].startswith("http") for t in tip["translations"])


def test_a_read_answers_304_to_its_etag_until_something_is_published(client, demo):
    first = client.get(TIPS, {"locale": "nl", "limit": 100})
    etag = first["ETag"]
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]

    again = client.get(TIPS, {"locale": "nl", "limit": 100}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    tip = LanguageTipPage.objects.live().filter(locale__language_code="nl").first()
    tip.meaning = "Nieuwe uitleg in korte zinnen."
    tip.save_revision().publish()

    after = client.get(TIPS, {"locale": "nl", "limit": 100}, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert "Nieuwe uitleg in korte zinnen." in after.content.decode()


def test_each_address_has_its_own_etag(client, demo):
    dutch = client.get(TIPS, {"locale": "nl", "limit": 100})["ETag"]
    arabic = client.get(TIPS, {"locale": "ar"})
    assert arabic["ETag"] != dutch
    assert client.get(TIPS, {"locale": "ar"}, HTTP_IF_NONE_MATCH=dutch).status_code == 200


def test_a_request_with_a_token_is_never_shared(client, demo):
    response = client.get("/api/v3/pages/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert "ETag" not in response
    assert response.status_code in (200, 401)


@pytest.mark.parametrize(
    ("headers", "params", "message"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "ar"}, {"limit": "abc"}, "أعطِ عددًا صحيحًا."),
        ({"HTTP_ACCEPT_LANGUAGE": "nl"}, {"limit": "abc"}, "Geef een geheel getal."),
        (
            {"HTTP_ACCEPT_LANGUAGE": "nl"},
            {"limit": "abc", "locale": "fr"},
            "Indiquez un nombre entier.",
        ),
        ({}, {"level": "Z9", "locale": "en"}, "Choose one of the values offered."),
    ],
)
def test_invalid_input_is_one_problem_entry_per_field_in_the_language_asked(
    client, demo, headers, params, message
):
    response = client.get(TIPS, params, **headers)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert [entry["msg"] for entry in problem["errors"]] == [message]
    assert problem["errors"][0]["loc"] == ["query", next(iter(set(params) - {"locale"}))]


def test_an_unknown_language_is_named_as_the_field_in_error(client, demo):
    problem = client.get(TIPS, {"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert problem["errors"] == [
        {
            "loc": ["query", "locale"],
            "msg": "Ce site n’a pas de contenu dans cette langue.",
            "type": "invalid",
        }
    ]


def test_unknown_addresses_and_methods_are_problems_not_pages_or_redirects(client, demo):
    missing = client.get("/api/v3/nothing/here/", HTTP_ACCEPT_LANGUAGE="ar")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["detail"] == "لم يُعثر على شيء في هذا العنوان."

    deleted = client.delete(TIPS, HTTP_ACCEPT_LANGUAGE="en")
    assert deleted.status_code == 405
    assert deleted.json()["title"] == "Method not allowed"
    assert "GET" in deleted["Allow"]


def test_control_characters_and_huge_numbers_in_the_query_are_4xx_or_ignored(client, demo):
    assert client.get(TIPS, {"locale": "a\x00r"}).status_code == 200
    assert client.get(TIPS, {"offset": "9" * 40}).status_code == 422
    assert client.get(TIPS, {"theme": "x" * 500}).status_code == 422


def test_any_origin_may_read(client, demo):
    response = client.get(TIPS, HTTP_ORIGIN="https://scherm.wachtzaal.example")
    assert response["Access-Control-Allow-Origin"] == "https://scherm.wachtzaal.example"
    preflight = client.options(
        TIPS,
        HTTP_ORIGIN="https://scherm.wachtzaal.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://scherm.wachtzaal.example"
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_the_old_api_keeps_answering(client, demo):
    response = client.get("/api/v2/pages/", {"type": "buddypages.LanguageTipPage", "locale": "ar"})
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] > 3


def test_one_document_describes_wagtails_endpoints_and_ours(client, demo):
    document = client.get("/api/v3/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    assert {"pages_list", "list_tips", "tip_of_the_week"} <= operations


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/pages/?offset=99999999999999999999",
        "/api/v3/pages/?limit=2&offset=" + "9" * 5000,
        "/api/v3/pages/99999999999999999999/",
        "/api/v3/images/?offset=99999999999999999999",
    ],
)
def test_numbers_no_database_holds_are_a_422_even_on_wagtails_operations(client, demo, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "This number is too large."


def test_an_answer_that_breaks_its_own_schema_is_a_server_error_not_the_clients(
    client, demo, monkeypatch
):
    """Both invalid input and an invalid answer are pydantic errors; only input is a 422."""
    from buddypages.api.v3 import pages

    real = pages.TipSerializer.tip
    monkeypatch.setattr(
        pages.TipSerializer, "tip", lambda self, row: {**real(self, row), "level": 7}
    )

    response = client.get("/api/v3/tips/of-the-week/", {"locale": "nl"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "errors" not in response.json()


def test_answers_are_utf8_not_escaped(client, demo):
    """An Arabic answer escaped as \\uXXXX would be three times the size on a cheap phone."""
    response = client.get(TIPS, {"locale": "ar", "limit": 1})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.content.decode("utf-8")
    assert "\\u06" not in body
    assert response.json()["items"][0]["title"] in body
