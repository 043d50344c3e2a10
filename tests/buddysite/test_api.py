from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Locale, Page

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

BASE_URL = "http://127.0.0.1:8000"


def find(client, html_path: str, **params):
    return client.get("/api/v2/pages/find/", {"html_path": html_path, **params})


def detail_url(page) -> str:
    return f"{BASE_URL}/api/v2/pages/{page.pk}/"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_find_takes_the_address_a_visitor_sees_in_every_language(client, demo, code):
    home = demo.home_pages[code]
    pages = [home, *Page.objects.live().child_of(home).specific()]
    for page in pages:
        path = urlsplit(page.full_url).path
        assert path.startswith(f"/{code}/")
        response = find(client, path)
        assert response.status_code == 302, path
        assert response["Location"].split("?")[0] == detail_url(page), path


def test_find_without_a_language_prefix_finds_the_dutch_page(client, demo):
    response = find(client, "/buddywerking/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == detail_url(demo.programme)


def test_find_in_arabic_redirects_to_the_arabic_translation(client, demo):
    response = find(client, "/ar/buddywerking/", fields="title")
    arabic = demo.programme.get_translation(Locale.objects.get(language_code="ar"))
    assert response["Location"] == f"{detail_url(arabic)}?fields=title"
    page = client.get(response["Location"]).json()
    assert page["meta"]["locale"] == "ar"
    assert page["meta"]["html_url"] == f"{BASE_URL}/ar/buddywerking/"


@pytest.mark.parametrize(
    "html_path", ["/ar/does-not-exist/", "/ru/buddywerking/", "/xx/buddywerking/"]
)
def test_find_answers_json_404_for_an_unknown_address(client, demo, html_path):
    response = find(client, html_path)
    assert response.status_code == 404
    assert response.json() == {"message": "not found"}


def test_find_respects_the_page_type(client, demo):
    assert find(client, "/ar/buddywerking/", type="buddypages.HomePage").status_code == 404
    assert find(client, "/ar/buddywerking/", type="buddypages.ProgrammePage").status_code == 302


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_html_urls_carry_the_language_prefix_in_every_locale(client, demo, code):
    listing = client.get("/api/v2/pages/", {"locale": code, "limit": 100}).json()
    assert listing["items"]
    for item in listing["items"]:
        assert urlsplit(item["meta"]["html_url"]).path.startswith(f"/{code}/")
    home = client.get(f"/api/v2/pages/{demo.home_pages[code].pk}/").json()
    assert home["meta"]["html_url"] == f"{BASE_URL}/{code}/"


def test_an_unknown_locale_is_a_json_400(client, demo):
    response = client.get("/api/v2/pages/", {"locale": "xx"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("unknown locale 'xx': use one of nl, ")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=buddypages.ActivityPage&start=soon", "field filter error: "),
        ("type=buddypages.ActivityPage&price=free", "field filter error: "),
        ("type=buddypages.LanguageTipPage&theme=99999999999999999999", "field filter error: "),
        ("offset=99999999999999999999", "offset cannot be higher than "),
    ],
)
def test_values_no_column_can_hold_are_a_json_400(client, demo, query, message):
    response = client.get("/api/v2/pages/", QUERY_STRING=query)
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_find_by_an_id_that_is_not_a_number_is_a_json_400(client, demo, endpoint):
    response = client.get(f"/api/v2/{endpoint}/find/", {"id": "abc"})
    assert response.status_code == 400
    assert response.json() == {"message": "id must be an integer"}


@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v2/images/", "/api/v2/occurrences/"])
def test_other_methods_are_a_json_405(client, demo, path):
    response = client.post(path)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert list(response.json()) == ["message"]
    assert "post" in response.json()["message"].lower()


def test_a_server_error_under_the_api_is_json(demo, monkeypatch):
    from buddypages.api import BuddyPagesAPIViewSet

    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(BuddyPagesAPIViewSet, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/api/v2/pages/")
    assert response.status_code == 500
    assert response.json() == {"message": "server error"}


def test_the_pages_listing_costs_few_queries_and_follows_a_publish(client, demo, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buddypages.models import ProgrammePage

    settings.PAGE_CACHE_SECONDS = 0
    first = client.get("/api/v2/pages/", {"locale": "nl"}).json()
    with CaptureQueriesContext(connection) as captured:
        second = client.get("/api/v2/pages/", {"locale": "nl"}).json()
    assert second == first
    # The content generation (read by the page cache too) and the page of results: no
    # count, no locale check, no locale per page, no privacy rules.
    assert len(captured.captured_queries) <= 3
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    programme.unpublish()
    third = client.get("/api/v2/pages/", {"locale": "nl"}).json()
    assert third["meta"]["total_count"] == first["meta"]["total_count"] - 1
    assert programme.pk not in [item["id"] for item in third["items"]]


def test_a_visitor_who_gave_a_page_password_counts_its_pages_too(client, demo, settings):
    from wagtail.models import PageViewRestriction

    from buddypages.models import ProgrammePage

    settings.PAGE_CACHE_SECONDS = 0
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    restriction = PageViewRestriction.objects.create(
        page=programme, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
    )
    hidden = client.get("/api/v2/pages/", {"locale": "nl"}).json()
    assert programme.pk not in [item["id"] for item in hidden["items"]]
    client.post(
        f"/nl/_util/authenticate_with_password/{restriction.pk}/{programme.pk}/",
        {"password": "secret-word", "return_url": "/nl/"},
    )
    shown = client.get("/api/v2/pages/", {"locale": "nl"}).json()
    assert shown["meta"]["total_count"] > hidden["meta"]["total_count"]
    assert programme.pk in [item["id"] for item in shown["items"]]


def test_pages_of_another_tree_beside_the_home_pages_stay_out(client, demo, settings):
    from wagtail.models import Page

    settings.PAGE_CACHE_SECONDS = 0
    before = client.get("/api/v2/pages/", {"limit": 100}).json()
    other = Page.get_first_root_node().add_child(instance=Page(title="Andere site", slug="ander"))
    other.add_child(instance=Page(title="Ander nieuws", slug="nieuws"))
    other.save_revision().publish()
    after = client.get("/api/v2/pages/", {"limit": 100}).json()
    assert after["meta"]["total_count"] == before["meta"]["total_count"]
    assert "Ander nieuws" not in {item["title"] for item in after["items"]}


def test_every_listed_page_links_its_own_detail(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):  # reversed, then remembered
        items = client.get("/api/v2/pages/", {"limit": 50}).json()["items"]
        assert len({item["meta"]["detail_url"] for item in items}) == len(items) > 20
        for item in items:
            assert item["meta"]["detail_url"].endswith(f"/api/v2/pages/{item['id']}/")
