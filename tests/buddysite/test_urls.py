import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        (None, "/nl/"),
        ("ar", "/ar/"),
        ("fr-BE,fr;q=0.9,nl;q=0.5", "/fr/"),
        ("ti", "/ti/"),
        ("ps-AF", "/ps/"),
        ("de-DE,de;q=0.9", "/nl/"),  # unsupported: Dutch
    ],
)
def test_root_redirects_to_the_preferred_supported_language(client, demo, accept_language, target):
    headers = {"accept-language": accept_language} if accept_language else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response["Location"] == target


def test_api_lists_pages_by_locale(client, demo):
    data = client.get(
        "/api/v2/pages/", {"locale": "ar", "type": "buddypages.HomePage", "fields": "intro"}
    ).json()
    assert data["meta"]["total_count"] == 1
    item = data["items"][0]
    assert item["meta"]["locale"] == "ar"
    assert item["meta"]["type"] == "buddypages.HomePage"
    assert item["intro"].startswith("يلتقي")


def test_api_filters_by_type_and_exposes_fields(client, demo):
    data = client.get(
        "/api/v2/pages/", {"type": "buddypages.HomePage", "fields": "intro,body", "locale": "nl"}
    ).json()
    assert [item["title"] for item in data["items"]] == ["Samen Nederlands oefenen"]
    body_types = [block["type"] for block in data["items"][0]["body"]]
    assert body_types[:2] == ["heading", "paragraph"]


def test_api_images_and_documents_endpoints_answer(client, demo):
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200
