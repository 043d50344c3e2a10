"""The programme page and the language tips in a real browser: accessibility and language."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from buddysite.demo import tips as tips_data

from .conftest import PHONE

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIP = tips_data.TIPS[0]


def tip_url(code: str) -> str:
    from buddypages.models import LanguageTipPage

    return LanguageTipPage.objects.get(locale__language_code=code, phrase=TIP["phrase"]).url


def programme_url(code: str) -> str:
    from buddypages.models import ProgrammePage

    return ProgrammePage.objects.get(locale__language_code=code).url


def axe_violations(page) -> tuple[int, str]:
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.violations_count, results.generate_report()


def activity_url(code: str, slug: str = "buddycafe") -> str:
    from buddypages.models import ActivityPage

    return ActivityPage.objects.get(locale__language_code=code, slug=slug).url


PAGES = {
    "programme": programme_url,
    "tip": tip_url,
    "tip-index": lambda code: f"/{code}/taaltips/",
    "calendar": lambda code: f"/{code}/activiteiten/",
    "calendar-month": lambda code: f"/{code}/activiteiten/?view=month",
    "activity": activity_url,
    "activity-with-sign-up": lambda code: activity_url(code, "wandeling-oude-stad"),
}


@pytest.mark.parametrize("code", ["nl", "ar"])
@pytest.mark.parametrize("which", list(PAGES))
def test_no_axe_violations_on_programme_tip_and_calendar_pages(open_page, code, which):
    url = PAGES[which](code)
    page = open_page(viewport=PHONE).page
    page.goto(url)
    if which == "programme":
        page.locator("details.faq summary").first.click()
    count, report = axe_violations(page)
    assert count == 0, report


def test_arabic_tip_keeps_the_dutch_phrase_dutch(open_page):
    page = open_page(locale="ar").page
    page.goto(tip_url("ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    phrase = page.locator("h1 [lang=nl]")
    expect(phrase).to_have_text(TIP["phrase"])
    expect(phrase).to_have_attribute("dir", "ltr")
    expect(page.locator(".examples__dutch [lang=nl]").first).to_have_attribute("dir", "ltr")


def test_tip_filters_work_without_javascript(browser, demo_site):
    context = browser.new_context(base_url=demo_site, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/nl/taaltips/")
        page.select_option("#filter-level", "B2")
        page.locator("form.filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"level=B2"))
        badges = page.locator(
            "section[aria-labelledby=tips-heading] .tip-card .badge:not(.badge--soft)"
        )
        expect(badges.first).to_have_text("B2")
        assert set(badges.all_inner_texts()) == {"B2"}
    finally:
        context.close()


def test_sign_up_in_arabic_without_javascript(browser, demo_site):
    context = browser.new_context(base_url=demo_site, java_script_enabled=False, locale="ar")
    try:
        page = context.new_page()
        page.goto(activity_url("ar", "wandeling-oude-stad"))
        page.fill("#id_name", "Samira")
        page.fill("#id_email", "samira@example.org")
        page.check("#id_places_1")
        page.locator("section.signup button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).not_to_be_empty()
        from buddypages.models import ActivitySignup

        signup = ActivitySignup.objects.get(email="samira@example.org")
        assert (signup.places, signup.language, signup.status) == (2, "ar", "confirmed")
    finally:
        context.close()
