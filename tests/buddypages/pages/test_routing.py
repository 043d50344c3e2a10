"""Wagtail's page view with remembered routes (buddypages.pages.routing): fewer queries, the
same answers, and every publish, privacy rule or unpublish seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from buddypages.models import ActivityCalendarPage, HomePage, ProgrammePage

pytestmark = pytest.mark.django_db

RESTRICTIONS_OF_ANCESTORS = '"wagtailcore_pageviewrestriction"."page_id" IN ('
LOCALE_BY_CODE = '"wagtailcore_locale"."language_code" = '


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure routing, not the page cache


def _tables_read(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    return response, sql


@pytest.mark.parametrize(
    "url", ["/nl/", "/nl/buddywerking/", "/ar/buddywerking/", "/nl/activiteiten/ical/"]
)
def test_a_second_view_routes_without_reading_the_tree(client, demo, url):
    first, first_sql = _tables_read(client, url)
    second, second_sql = _tables_read(client, url)
    assert first.status_code == second.status_code == 200
    # Wagtail's privacy check of the page and its ancestors, and its locale lookup.
    for routing_query in (RESTRICTIONS_OF_ANCESTORS, LOCALE_BY_CODE):
        assert routing_query in first_sql
        assert routing_query not in second_sql
    assert first.content.count(b"<") == second.content.count(b"<")


def test_a_remembered_page_still_asks_for_a_new_password(client, demo):
    page = ProgrammePage.objects.get(locale__language_code="nl")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert b"secret-word" not in response.content
    assert 'name="password"' in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(client, demo):
    page = ProgrammePage.objects.get(locale__language_code="nl")
    url = page.url
    assert client.get(url).status_code == 200
    page.unpublish()
    assert client.get(url).status_code == 404


def test_a_moved_slug_routes_to_the_new_address(client, demo):
    calendar = ActivityCalendarPage.objects.get(locale__language_code="nl")
    old = calendar.url
    assert client.get(old + "ical/").status_code == 200
    calendar.slug = "agenda-nieuw"
    calendar.save_revision().publish()
    assert client.get(old + "ical/").status_code == 404
    response = client.get("/nl/agenda-nieuw/ical/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_unknown_addresses_and_sub_pages_stay_not_found(client, demo):
    for _ in range(2):
        assert client.get("/nl/buddywerking/no-such-page/").status_code == 404
        assert client.get("/nl/activiteiten/no-such-view/").status_code == 404
        assert client.get("/nl/" + "deep/" * 80).status_code == 404


def test_the_login_and_password_views_of_wagtail_still_answer(client, demo):
    home = HomePage.objects.get(locale__language_code="nl")
    restriction = PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
    )
    url = f"/nl/_util/authenticate_with_password/{restriction.pk}/{home.pk}/"
    response = client.post(url, {"password": "secret-word", "return_url": "/nl/"})
    assert response.status_code == 302
    assert client.get("/nl/").status_code == 200


def test_a_partner_logo_made_on_the_first_view_is_not_made_again(client, demo):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from buddypages.pages.snippets import Partner

    page = ProgrammePage.objects.get(locale__language_code="nl")
    logo = get_image_model().objects.create(title="Bib", file=get_test_image_file())
    partner = Partner.objects.create(name="Bibliotheek", locale=page.locale, logo=logo)
    page.partners = [("partner", partner)]
    page.save_revision().publish()
    first = client.get(page.url)
    assert logo.renditions.count() == 1  # made by the first view
    with CaptureQueriesContext(connection) as captured:
        second = client.get(page.url)
    assert not [q for q in captured.captured_queries if "renditions" in q["sql"]]
    assert first.content == second.content
    assert logo.renditions.get().url in second.content.decode()


def test_home_sections_follow_a_new_section_at_once(client, demo):
    home = HomePage.objects.get(locale__language_code="nl")
    before = client.get("/nl/").content.decode()
    draft = ProgrammePage(title="Nieuwe sectie", slug="nieuw", summary="x", live=False)
    section = home.add_child(instance=draft)
    assert "Nieuwe sectie" not in client.get("/nl/").content.decode()
    section.save_revision().publish()
    after = client.get("/nl/").content.decode()
    assert "Nieuwe sectie" not in before
    assert "Nieuwe sectie" in after
