"""The "Get the newsletter" box on the archive page, in Arabic, on a phone, without JavaScript."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from playwright.sync_api import expect

from .conftest import PHONE
from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

SCREENS = Path(django_settings.VAR_DIR) / "screens"


def archive_url(code: str) -> str:
    from newsletter.models import NewsletterIndexPage

    return NewsletterIndexPage.objects.get(locale__language_code=code).url


def arabic(message: str) -> str:
    with translation.override("ar"):
        return translation.gettext(message)


def test_subscribe_in_arabic_on_a_phone_without_javascript(browser, demo_site, settings):
    from buddypages.registry.models import Participant

    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 0, "RATE_LIMIT": 0}
    email = f"buur.{uuid.uuid4().hex[:8]}@example.net"  # the browser database is kept
    context = browser.new_context(
        base_url=demo_site, java_script_enabled=False, locale="ar", viewport=PHONE
    )
    try:
        page = context.new_page()
        url = archive_url("ar")
        page.goto(url)
        box = page.locator("#newsletter-subscribe")
        expect(box.locator("h2")).to_have_text(arabic("Get the newsletter"))
        expect(page.locator("#id_preferred_language")).to_have_value("ar")

        # Sent empty: the messages stand next to their fields, in Arabic, right to left.
        box.locator("button[type=submit]").click()
        expect(page.locator("#form-errors")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#id_email_error")).to_have_text(arabic("This field is required."))
        expect(page.locator("#id_consent_newsletter_error")).to_have_text(
            arabic("Tick this box to get the newsletter.")
        )
        expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
        # The box fits the phone: nothing sticks out sideways.
        frame = box.bounding_box()
        assert frame["x"] >= 0
        assert frame["x"] + frame["width"] <= PHONE["width"]
        SCREENS.mkdir(parents=True, exist_ok=True)
        box.screenshot(path=str(SCREENS / "newsletter-subscribe-ar.png"))
        assert not Participant.objects.filter(email=email).exists()

        page.fill("#id_email", email)
        page.check("#id_consent_newsletter")
        box.locator("button[type=submit]").click()
        # The browser keeps the form's #newsletter-subscribe: the thanks carry that id.
        expect(page).to_have_url(re.compile(re.escape(url + "subscribe/thanks/")))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("[role=status] h1")).to_have_text(arabic("Check your email"))
        expect(page.locator("[role=status]")).to_contain_text(
            arabic(
                "Thank you. If this address can get the newsletter, we sent it a link to confirm."
            )
        )
        page.screenshot(path=str(SCREENS / "newsletter-subscribe-thanks-ar.png"))

        reader = Participant.objects.get(email=email)
        assert (reader.role, reader.newsletter_status, reader.preferred_language) == (
            "reader",
            "pending",
            "ar",
        )
    finally:
        context.close()


def test_the_box_its_errors_and_the_thanks_have_no_axe_violations(open_page):
    # axe needs JavaScript (the test above runs without it): the same pages, with it.
    visit = open_page(locale="ar", viewport=PHONE)
    page = visit.page
    url = archive_url("ar")
    page.goto(url)
    count, report = axe_violations(page)
    assert count == 0, report
    page.locator("#newsletter-subscribe button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    # The form comes back with status 400, which Chromium reports; nothing else may be.
    assert [e for e in visit.take_console_errors() if "status of 400" not in e] == []
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(url + "subscribe/thanks/")
    expect(page.locator("[role=status] h1")).to_have_text(arabic("Check your email"))
    count, report = axe_violations(page)
    assert count == 0, report
