"""The sign-up forms in a real browser: accessible on a phone, in Arabic, without JavaScript."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e


def form_url(code: str, role: str) -> str:
    from buddypages.models import RegistrationPage

    return RegistrationPage.objects.get(locale__language_code=code, role=role).url


@pytest.mark.parametrize("code", ["nl", "ar"])
@pytest.mark.parametrize("role", ["newcomer", "volunteer"])
def test_the_forms_have_no_axe_violations(open_page, code, role):
    page = open_page(viewport=PHONE).page
    page.goto(form_url(code, role))
    expect(page.locator("html")).to_have_attribute("lang", code)
    count, report = axe_violations(page)
    assert count == 0, report


def test_errors_are_shown_accessibly_in_arabic(open_page):
    visit = open_page(locale="ar", viewport=PHONE)
    page = visit.page
    page.goto(form_url("ar", "newcomer"))
    page.locator("form.registration-form button[type=submit]").click()
    # The form comes back with status 400, which Chromium reports; nothing else may be.
    assert [e for e in visit.take_console_errors() if "status of 400" not in e] == []
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.locator(".form-error").count() >= 5
    count, report = axe_violations(page)
    assert count == 0, report


def test_sign_up_in_arabic_on_a_phone_without_javascript(browser, demo_site, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 0}
    context = browser.new_context(
        base_url=demo_site, java_script_enabled=False, locale="ar", viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto(form_url("ar", "newcomer"))
        page.fill("#id_first_name", "سلمى")
        page.fill("#id_last_name", "Browsertest")
        page.fill("#id_email", "salma.browser@example.net")
        page.check("input[name=languages][value=ar]")
        page.select_option("#id_preferred_language", "ar")
        page.check("input[name=dutch_level][value=a2]")
        page.fill("#id_postcode", "2990")
        page.select_option("#id_age_band", "26-35")
        page.check("input[name=household][value=children]")
        page.check("#id_availability_sat_morning")
        page.check("input[name=interests][value=cooking]")
        page.check("#id_consent_programme")
        page.locator("form.registration-form button[type=submit]").click()
        expect(page).to_have_url(form_url("ar", "newcomer") + "thanks/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        from buddypages.registry.models import Participant

        person = Participant.objects.get(email="salma.browser@example.net")
        assert (person.first_name, person.form_language, person.dutch_level) == ("سلمى", "ar", "a2")
        assert [i.key for i in person.interests.all()] == ["cooking"]
    finally:
        context.close()
