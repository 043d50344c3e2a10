"""The demo's two municipalities as a browser reaches them through ``make run``: each at
``http://<slug>.localhost:<port>/`` (Chromium resolves every ``*.localhost`` name to this
machine), each with its own name, colours, pages and languages."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# name, header colour (#6a2c70, #0b5d62), home page title, languages in the switcher
TOWNS = {
    "heidestad": (
        "Buddywerking Heidestad",
        "rgb(106, 44, 112)",
        "Samen Nederlands oefenen",
        None,  # every language of the installation
    ),
    "bosdonk": (
        "Buddywerking Bosdonk",
        "rgb(11, 93, 98)",
        "Welkom bij de buddywerking van Bosdonk",
        ["nl", "en", "fr", "ar", "uk"],
    ),
}


@pytest.fixture(scope="module")
def bosdonk(demo_site, django_db_blocker) -> Iterator[str]:
    """The demo's second town (``load_demo`` makes it; the session's demo has one site), its
    pages and look without people, removed afterwards: the other browser tests share this
    database and find their pages by language."""
    from wagtail.models import Locale

    from buddysite.demo import pages, sites
    from buddysite.demo import registry as registry_demo

    with django_db_blocker.unblock():
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        town = sites.ensure_bosdonk(
            locales,
            pages.ensure_themes(locales),
            registry_demo.ensure_interests(locales),
            participants=0,
        )
    try:
        yield _town_url(demo_site, "bosdonk")
    finally:
        with django_db_blocker.unblock():
            town.site.delete()
            for home in town.home_pages.values():
                home.delete()


def _town_url(demo_site: str, slug: str) -> str:
    return f"http://{slug}.localhost:{urlsplit(demo_site).port}"


@pytest.mark.parametrize("slug", list(TOWNS))
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_town_answers_at_its_own_name_in_its_own_look(
    open_page, demo_site, bosdonk, slug, viewport
):
    name, colour, title, languages = TOWNS[slug]
    page = open_page(viewport=viewport).page
    page.goto(f"{_town_url(demo_site, slug)}/")  # the root leads to a language
    assert urlsplit(page.url).hostname == f"{slug}.localhost"
    expect(page.locator(".site-header__brand")).to_have_text(name)
    background = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert background == colour
    expect(page).to_have_title(f"{title} · {name}")
    offered = page.locator("nav.language-switcher a").evaluate_all(
        "links => links.map(link => link.lang)"
    )
    if languages is not None:
        assert offered == languages
    else:
        assert len(offered) > 5
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]


def test_bosdonk_has_its_own_programme_calendar_and_form(open_page, bosdonk):
    page = open_page(viewport=PHONE).page
    town = bosdonk
    page.goto(f"{town}/nl/buddywerking/")
    expect(page.locator("h1")).to_have_text("Buddywerking Bosdonk")
    page.goto(f"{town}/nl/activiteiten/")
    expect(page.get_by_text("Wandeling in het bos").first).to_be_visible()
    expect(page.get_by_text("Wandeling door de oude stad")).to_have_count(0)  # Heidestad's
    page.goto(f"{town}/ar/buddywerking/aanmelden-nieuwkomer/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("هل تسكن في بوسدونك")).to_be_visible()


@pytest.mark.parametrize("slug", list(TOWNS))
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_in_either_town(open_page, demo_site, bosdonk, slug, viewport):
    page = open_page(viewport=viewport).page
    page.goto(f"{_town_url(demo_site, slug)}/nl/")
    page.locator("nav.language-switcher summary").click()
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()
