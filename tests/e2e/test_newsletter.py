"""The newsletter's public pages in a real browser: unsubscribe and the archive."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PHONE
from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e


def unsubscribe_url(code: str) -> str:
    from buddypages.registry.models import Participant
    from newsletter.tokens import unsubscribe_token

    person = Participant.objects.filter(email__endswith="@example.org").order_by("pk").last()
    return f"/{code}/newsletter/unsubscribe/{unsubscribe_token(person.pk, person.email)}/"


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_the_unsubscribe_page_has_no_axe_violations(open_page, code):
    page = open_page(viewport=PHONE).page
    page.goto(unsubscribe_url(code))
    expect(page.locator("form button[type=submit]")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report


def test_unsubscribe_and_resubscribe_without_javascript(browser, demo_site):
    from buddypages.registry.models import Participant

    context = browser.new_context(base_url=demo_site, java_script_enabled=False, locale="ar")
    try:
        page = context.new_page()
        url = unsubscribe_url("ar")
        page.goto(url)
        page.locator("form button[type=submit]").click()
        expect(page.locator("p[role=status]")).to_be_visible()
        person = Participant.objects.filter(email__endswith="@example.org").order_by("pk").last()
        assert person.newsletter_status == "withdrawn"
        page.locator("form button[type=submit]").click()
        expect(page.locator("p[role=status]")).to_be_visible()
        person.refresh_from_db()
        assert person.newsletter_status == "confirmed"
    finally:
        context.close()


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_a_sent_issue_on_the_site_has_no_axe_violations(open_page, code):
    from newsletter.models import NewsletterIssuePage

    issues = NewsletterIssuePage.objects.filter(slug="december")
    issues.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    page = open_page(viewport=PHONE).page
    page.goto(issues.get(locale__language_code=code).url)
    expect(page.locator("h1")).to_be_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    page.goto(issues.get(locale__language_code=code).get_parent().url)
    count, report = axe_violations(page)
    assert count == 0, report
