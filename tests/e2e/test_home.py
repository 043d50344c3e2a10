"""The home page as a visitor's browser shows it: language, direction, switcher, keyboard."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from buddysite.demo import home

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

ARABIC_TITLE = home.TRANSLATIONS["ar"][home.TITLE]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def expect_language(page, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return found


def open_switcher(page) -> None:
    switcher = page.locator("nav.language-switcher")
    switcher.locator("summary").click()
    expect(switcher.locator("details")).to_have_attribute("open", "")


def test_dutch_home_page_is_dutch_and_left_to_right(page):
    page.goto("/nl/")
    expect_language(page, "nl", "ltr")
    expect(page.locator("h1")).to_have_text(home.TITLE)
    expect(page).to_have_title(re.compile(re.escape(home.TITLE)))


def header_layout(page) -> tuple[float, float, float, float]:
    """Where the brand and the switcher sit in the header.

    Returns the brand's distance from the header's left and right edges, and the
    left and right edges of the switcher relative to those of the brand.
    """
    inner, brand = box(page, ".site-header__inner"), box(page, ".site-header__brand")
    switcher = box(page, "nav.language-switcher")
    brand_right, switcher_right = brand["x"] + brand["width"], switcher["x"] + switcher["width"]
    return (
        brand["x"] - inner["x"],
        inner["x"] + inner["width"] - brand_right,
        switcher["x"] - brand["x"],
        switcher_right - brand_right,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_arabic_layout_is_mirrored(open_page, viewport):
    page = open_page(viewport=viewport).page
    middle = viewport["width"] / 2

    page.goto("/nl/")
    expect_language(page, "nl", "ltr")
    brand = box(page, ".site-header__brand")
    assert brand["x"] + brand["width"] / 2 < middle, f"Dutch brand not on the left: {brand}"
    from_left, from_right, switcher_left, _ = header_layout(page)
    assert from_left < from_right, "Dutch header: the brand should hug the left edge"
    dutch_inset = from_left
    # The switcher follows the brand: beside it to the right, or wrapped below it.
    assert switcher_left >= 0, "Dutch header: the switcher is left of the brand"

    page.goto("/ar/")
    expect_language(page, "ar", "rtl")
    expect(page.locator("h1")).to_have_text(ARABIC_TITLE)
    brand = box(page, ".site-header__brand")
    assert brand["x"] + brand["width"] / 2 > middle, f"Arabic brand not on the right: {brand}"
    from_left, from_right, _, switcher_right = header_layout(page)
    assert from_right < from_left, "Arabic header: the brand should hug the right edge"
    # A true mirror image: as far from the right edge as the Dutch brand is from the left.
    assert from_right == pytest.approx(dutch_inset, abs=1)
    assert switcher_right <= 0, "Arabic header: the switcher is right of the brand"
    # Nothing spills sideways: a mirrored page must not scroll horizontally.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the Arabic page is {overflow}px wider than the viewport"


def test_switching_from_dutch_to_arabic(page):
    page.goto("/nl/")
    switcher = page.locator("nav.language-switcher")
    arabic = switcher.get_by_role("link", name="العربيّة")
    expect(arabic).to_be_hidden()  # closed until the visitor opens it
    expect(switcher.locator("a[aria-current]")).to_have_count(1)
    expect(switcher.locator('a[aria-current="true"]')).to_have_attribute("lang", "nl")

    open_switcher(page)
    expect(arabic).to_be_visible()
    expect(arabic).to_have_attribute("lang", "ar")
    expect(arabic).to_have_attribute("hreflang", "ar")
    arabic.click()

    expect(page).to_have_url(re.compile(r"/ar/$"))
    expect_language(page, "ar", "rtl")
    expect(page.locator("h1")).to_have_text(ARABIC_TITLE)
    current = page.locator('nav.language-switcher a[aria-current="true"]')
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("lang", "ar")
    expect(current).to_have_attribute("href", "/ar/")


@pytest.mark.parametrize(
    ("locale", "landing", "lang"),
    [("ar", "/ar/", "ar"), ("de-DE", "/nl/", "nl")],
    ids=["prefers-arabic", "unsupported-language-gets-dutch"],
)
def test_root_follows_the_browser_language(open_page, locale, landing, lang):
    page = open_page(locale=locale).page
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(landing) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_skip_link_is_first_and_jumps_to_main(page, code):
    page.goto(f"/{code}/")
    skip = page.locator("a.skip-link")
    expect(skip).not_to_be_in_viewport()  # hidden until focused

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # a sighted keyboard user sees it

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("switcher_open", [False, True], ids=["switcher-closed", "switcher-open"])
@pytest.mark.parametrize("code", ["nl", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations(open_page, code, switcher_open, viewport):
    page = open_page(viewport=viewport).page
    page.goto(f"/{code}/")
    if switcher_open:
        open_switcher(page)
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_no_console_errors(open_page, code):
    visit = open_page()
    visit.page.goto(f"/{code}/")
    open_switcher(visit.page)
    assert visit.take_console_errors() == []
