"""The volunteer's information note in a real browser, on a phone: accessible, right to left
in Arabic, and acknowledged without JavaScript."""

import pytest
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 800}


def held_back_volunteer(acknowledged: bool):
    """A demo volunteer the matching leaves out (the demo holds three back)."""
    from buddypages.registry.choices import Role, Status
    from buddypages.registry.models import Participant

    waiting = Participant.objects.filter(
        role=Role.VOLUNTEER, status=Status.WAITING, email__endswith="@example.org"
    )
    if acknowledged:
        return waiting.filter(note_acknowledgements__isnull=False).first()
    return waiting.filter(note_acknowledgements__isnull=True).order_by("-pk").first()


def note_url(code: str, volunteer) -> str:
    from buddypages.registry.volunteer_services import note_token

    return f"/{code}/volunteer-note/{note_token(volunteer)}/"


@pytest.mark.parametrize("code", ["nl", "ar", "uk"])
def test_the_note_page_has_no_axe_violations_at_320_px(open_page, code):
    page = open_page(viewport=NARROW).page
    page.goto(note_url(code, held_back_volunteer(acknowledged=True)))
    expect(page.locator("#insurance-heading")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], "the page scrolls sideways on a phone"
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_volunteer_acknowledges_in_arabic_without_javascript(browser, demo_site):
    from buddypages.registry.models import Consent

    volunteer = held_back_volunteer(acknowledged=False)
    before = {
        "consents": set(volunteer.consents.values_list("pk", flat=True)),
        "covers": set(volunteer.insurance_covers.values_list("pk", flat=True)),
    }
    context = browser.new_context(
        base_url=demo_site, java_script_enabled=False, locale="ar", viewport=NARROW
    )
    try:
        page = context.new_page()
        page.goto(note_url("ar", volunteer))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).to_have_text("مذكرة معلومات للمتطوعين")
        page.check("#note-read")
        page.locator("form.volunteer-note-form button[type=submit]").click()
        expect(page.locator("p[role=status]").first).to_be_visible()
        expect(page.locator("#note-read")).to_have_count(0)
        assert volunteer.note_acknowledgements.filter(language="ar").exists()
        assert Consent.objects.filter(
            participant=volunteer, purpose=Consent.Purpose.INFORMATION_NOTE, language="ar"
        ).exists()
    finally:
        context.close()
        # The browser tests share one committed demo: leave the volunteer as they were.
        volunteer.note_acknowledgements.all().delete()
        volunteer.consents.exclude(pk__in=before["consents"]).delete()
        volunteer.insurance_covers.exclude(pk__in=before["covers"]).delete()
