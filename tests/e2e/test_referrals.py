"""The referral guide and the question form on a member's duo page, in a real browser:
accessible at 320 px, right to left. (Sending the question is
tested in tests/buddypages/duos/test_referrals.py.)"""

import pytest
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 320, "height": 740}


def member_url(code: str, role: str) -> str:
    from buddypages.duos.models import Duo
    from buddypages.duos.tokens import duo_link_token

    duo = Duo.objects.filter(status="active").order_by("pk").first()
    return f"/{code}/duo/{duo_link_token(duo, role)}/"


@pytest.mark.parametrize("code", ["nl", "ar", "ti"])
def test_the_guide_opens_by_theme_fits_a_small_phone_and_passes_axe(open_page, code):
    page = open_page(viewport=SMALL_PHONE).page
    page.goto(member_url(code, "newcomer"))
    themes = page.locator(".referral-guide details")
    expect(themes.first).to_be_visible()
    for index in range(themes.count()):
        themes.nth(index).locator("summary").click()
    expect(page.locator(".referral-guide a[href^='tel:']").first).to_be_visible()
    # Nothing sticks out sideways, however long an address or email.
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    count, report = axe_violations(page)
    assert count == 0, report


def test_the_question_form_fits_a_small_phone_right_to_left_and_passes_axe(open_page):
    page = open_page(locale="ar", viewport=SMALL_PHONE).page
    page.goto(member_url("ar", "volunteer"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(".referral-guide a.button").click()
    expect(page.locator("label[for=id_text]")).to_have_text("سؤالك")
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    count, report = axe_violations(page)
    assert count == 0, report
