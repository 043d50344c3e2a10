"""A duo member's private meeting log in a real browser: accessible, RTL, no JavaScript needed."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e


def member_url(code: str, role: str = "newcomer") -> str:
    from buddypages.duos.models import Meeting
    from buddypages.duos.tokens import duo_link_token

    # A duo with a meeting the volunteer logged and the newcomer has not confirmed yet.
    duo = Meeting.objects.filter(confirmed_at__isnull=True, logged_by="volunteer").first().duo
    return f"/{code}/duo/{duo_link_token(duo, role)}/"


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_the_meeting_log_has_no_axe_violations(open_page, code):
    page = open_page(viewport=PHONE).page
    page.goto(member_url(code))
    expect(page.locator("progress")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_newcomer_confirms_and_logs_a_meeting_without_javascript(browser, demo_site):
    from buddypages.duos.models import Meeting

    context = browser.new_context(
        base_url=demo_site, java_script_enabled=False, locale="ar", viewport=PHONE
    )
    try:
        page = context.new_page()
        url = member_url("ar")
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        before = Meeting.objects.count()
        page.locator("#confirm-heading ~ ul button[type=submit]").first.click()
        expect(page.locator("p[role=status]")).to_be_visible()
        page.select_option("#id_minutes", "90")
        page.fill("#id_activity", "السوق")
        page.locator("form:has(input[value=log]) button[type=submit]").click()
        expect(page.locator("p[role=status]")).to_be_visible()
        assert Meeting.objects.count() == before + 1
        assert Meeting.objects.filter(activity="السوق", logged_by="newcomer").exists()
    finally:
        context.close()
