"""The waiting-room screen in a browser: the slides turn, the languages change, and a screen
whose network is gone keeps showing what it had.

The page's clock is Playwright's (``page.clock``), so ten-second slides and five-minute
refreshes take milliseconds; the network is real (the live server, or none at all).
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from buddypages.screen.views import REFRESH_SECONDS, SLIDE_SECONDS

pytestmark = pytest.mark.e2e

SCREENS = Path(settings.VAR_DIR) / "screens"
TV = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}
ACTIVE = "section.bp-slide.is-active"


def open_screen(open_page, address: str, viewport=TV):
    visit = open_page(viewport=viewport)
    visit.page.clock.install()
    visit.page.goto(address)
    return visit


def turn(page, slides: int = 1) -> None:
    page.clock.run_for(slides * SLIDE_SECONDS * 1000 + 100)


def refresh_time(page) -> None:
    page.clock.run_for(REFRESH_SECONDS * 1000 + 100)


def only_failed_fetches(errors: list[str]) -> bool:
    """The console's reports of the slides that could not be fetched, and nothing else."""
    return all(
        "/screen/slides/" in error or "ERR_INTERNET_DISCONNECTED" in error for error in errors
    )


def test_the_slides_turn_by_themselves(open_page):
    page = open_screen(open_page, "/nl/screen/").page
    active = page.locator(ACTIVE)
    expect(active).to_have_count(1)
    expect(active.locator("h2")).to_have_text("Volgende activiteiten")
    expect(active).to_be_visible()
    first_activity = active.locator(".bp-activity__title").first.inner_text()
    assert first_activity

    turn(page)
    expect(active.locator("h2")).to_have_text("Tip van de week")
    expect(page.locator("section.bp-slide").first).to_be_hidden()
    turn(page)
    expect(active.locator("h2")).to_have_text("Volgende activiteiten")


def test_several_languages_take_turns_each_in_its_own_direction(open_page):
    page = open_screen(open_page, "/nl/screen/?langs=nl,ar").page
    active = page.locator(ACTIVE)
    expect(active).to_have_attribute("lang", "nl")
    expect(active).to_have_attribute("dir", "ltr")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "screen-nl-1920x1080.png")

    turn(page, 2)  # past the Dutch tip
    expect(active).to_have_attribute("lang", "ar")
    expect(active).to_have_attribute("dir", "rtl")
    expect(active.locator("h2")).to_have_text("الأنشطة القادمة")
    expect(active.locator(".bp-signup__heading")).to_have_text("التسجيل")
    # Right to left: the list is on the right, the code to sign up on the left.
    heading, code = active.locator("h2").bounding_box(), active.locator("svg").bounding_box()
    assert code["x"] + code["width"] < heading["x"] + heading["width"]
    assert code["x"] < TV["width"] / 3
    page.screenshot(path=SCREENS / "screen-ar-1920x1080.png")

    turn(page)
    expect(active.locator("h2")).to_have_text("نصيحة الأسبوع")
    expect(active.locator(".bp-tip__phrase")).to_have_attribute("lang", "nl")
    turn(page)
    expect(active).to_have_attribute("lang", "nl")


def test_tigrinya_is_drawn_with_the_sites_ethiopic_font(open_page):
    """The TV may have no Ethiopic font (this machine's Chromium has none): the site sends it."""
    page = open_screen(open_page, "/nl/screen/?langs=ti").page
    expect(page.locator(ACTIVE)).to_have_attribute("lang", "ti")
    expect(page.locator(ACTIVE).locator("h2")).to_have_text("ዝቕጽሉ ንጥፈታት")
    loaded = page.evaluate(
        """() => document.fonts.ready.then(() => Array.from(document.fonts).some(
            (face) => /Ethiopic/.test(face.family) && face.status === "loaded"))"""
    )
    assert loaded
    page.screenshot(path=SCREENS / "screen-ti-1920x1080.png")


def test_a_portrait_screen_puts_the_code_under_the_list(open_page):
    page = open_screen(open_page, "/ar/screen/", viewport=PORTRAIT).page
    active = page.locator(ACTIVE)
    items = active.locator(".bp-activity")
    expect(items.first).to_be_visible()
    code = active.locator("svg").bounding_box()
    main = active.locator(".bp-slide__main").bounding_box()
    assert code["y"] >= main["y"] + main["height"] - 1
    assert code["y"] + code["height"] <= PORTRAIT["height"]
    assert code["width"] >= 300  # scannable from a few steps away
    # No date is cut off at the bottom of the list: those that do not fit wait.
    for index in range(items.count()):
        item = items.nth(index)
        if item.is_visible():
            box = item.bounding_box()
            assert box["y"] + box["height"] <= main["y"] + main["height"] + 1
    page.screenshot(path=SCREENS / "screen-ar-1080x1920.png")


def test_without_network_the_screen_keeps_what_it_shows(open_page):
    visit = open_screen(open_page, "/nl/screen/?langs=nl,ar")
    page = visit.page
    screen = page.locator("#bp-screen")
    active = page.locator(ACTIVE)
    expect(active.locator("h2")).to_have_text("Volgende activiteiten")
    titles = page.locator(".bp-activity__title").all_inner_texts()

    page.context.set_offline(True)
    refresh_time(page)  # the fetch fails
    expect(screen).to_have_attribute("data-refresh", "failed")
    assert page.url.endswith("/nl/screen/?langs=nl,ar")
    assert page.locator(".bp-activity__title").all_inner_texts() == titles
    turn(page)  # an hour without network: still turning, still the same content
    for _ in range(11):
        refresh_time(page)
    expect(screen).to_have_attribute("data-refresh", "failed")
    expect(active).to_be_visible()
    expect(active.locator("h2")).not_to_have_text("")
    assert page.locator(".bp-activity__title").all_inner_texts() == titles
    errors = visit.take_console_errors()
    assert only_failed_fetches(errors), errors

    page.context.set_offline(False)
    refresh_time(page)
    expect(screen).to_have_attribute("data-refresh", "ok")
    assert page.locator(".bp-activity__title").all_inner_texts() == titles


def test_a_page_that_is_not_slides_keeps_the_slides(open_page):
    """A captive portal or a proxy answering 200 with its own page: nothing is replaced."""
    page = open_screen(open_page, "/nl/screen/").page
    page.route(
        "**/screen/slides/**",
        lambda route: route.fulfill(status=200, body="<html><p>Log in to the Wi-Fi</p></html>"),
    )
    refresh_time(page)
    expect(page.locator("#bp-screen")).to_have_attribute("data-refresh", "failed")
    expect(page.locator(ACTIVE).locator("h2")).to_have_text("Volgende activiteiten")
    assert "Wi-Fi" not in page.content()


def test_a_new_version_of_the_screen_loads_only_after_a_fetch_that_worked(open_page):
    page = open_screen(open_page, "/nl/screen/").page
    fresh = page.evaluate(
        "() => document.querySelector('.bp-deck').outerHTML"
        '.replace(/data-version="[^"]*"/, \'data-version="next"\')'
    )
    page.route("**/screen/slides/**", lambda route: route.fulfill(status=200, body=fresh))
    with page.expect_navigation():
        refresh_time(page)
    page.unroute("**/screen/slides/**")
    expect(page.locator(ACTIVE).locator("h2")).to_have_text("Volgende activiteiten")
