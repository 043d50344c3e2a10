"""Two municipalities on one installation, as a browser sees them: the demo's Heidestad on
127.0.0.1 and a second site, Beekdorp, on localhost, each with its own name and colours."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HEIDESTAD = ("Buddywerking Heidestad", "rgb(106, 44, 112)")  # the demo's #6a2c70
BEEKDORP = ("Buddywerking Beekdorp", "rgb(29, 79, 145)")  # #1d4f91


@pytest.fixture(scope="module")
def beekdorp(demo_site, django_db_blocker) -> Iterator[str]:
    """The second site on ``localhost`` (its own home page and settings), removed afterwards:
    the other browser tests share this database."""
    from urllib.parse import urlsplit

    from wagtail.models import Locale, Page, Site

    from buddypages.models import HomePage
    from buddypages.pages.municipality import MunicipalitySettings

    port = urlsplit(demo_site).port
    with django_db_blocker.unblock():
        home = HomePage(
            title="Welkom in Beekdorp",
            slug="beekdorp-e2e",
            locale=Locale.objects.get(language_code="nl"),
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(hostname="localhost", port=port, root_page=home)
        MunicipalitySettings.objects.create(
            site=site, name=BEEKDORP[0], colour="#1d4f91", languages=["nl", "en", "ar"]
        )
    try:
        yield f"http://localhost:{port}"
    finally:
        with django_db_blocker.unblock():
            site.delete()
            home.delete()


def _header(page) -> tuple[str, str]:
    brand = page.locator(".site-header__brand")
    background = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    return brand.inner_text().strip(), background


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_site_has_its_own_name_and_colours(open_page, beekdorp, viewport):
    page = open_page(viewport=viewport).page
    page.goto("/nl/")
    assert _header(page) == HEIDESTAD
    expect(page).to_have_title("Samen Nederlands oefenen · Buddywerking Heidestad")
    assert page.locator(".site-header__logo").evaluate("img => img.naturalWidth") > 0

    page.goto(f"{beekdorp}/nl/")
    assert _header(page) == BEEKDORP
    expect(page).to_have_title("Welkom in Beekdorp · Buddywerking Beekdorp")
    assert page.locator(".site-header__logo").count() == 0
    # Its switcher offers only its three languages.
    languages = page.locator("nav.language-switcher a").evaluate_all(
        "links => links.map(link => link.lang)"
    )
    assert languages == ["nl", "en", "ar"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]


def test_a_language_the_site_does_not_offer_leads_to_its_first(open_page, beekdorp):
    page = open_page().page
    response = page.goto(f"{beekdorp}/fr/")
    assert response.status == 200
    assert page.url == f"{beekdorp}/nl/"
    expect(page.locator("html")).to_have_attribute("lang", "nl")


@pytest.mark.parametrize("site", ["heidestad", "beekdorp"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_on_either_site(open_page, beekdorp, site, viewport):
    page = open_page(viewport=viewport).page
    page.goto("/nl/" if site == "heidestad" else f"{beekdorp}/nl/")
    page.locator("nav.language-switcher summary").click()
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()
