"""The yearly report in a browser, on demo data: the charts show the report's numbers to
scale, printing leaves the admin's menus out, and in Arabic on a phone nothing scrolls
sideways and axe finds nothing."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password-123"  # noqa: S105


def coordinator_page(browser, demo_site, *, locale: str, width: int):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="coordinator")
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(
        base_url=demo_site, locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/admin/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{demo_site}/admin/")
    return context, page


def _report():
    from django.utils import timezone
    from wagtail.models import Site

    from buddypages.reports.selectors import period_choose, yearly_report

    site = Site.objects.order_by("-is_default_site", "site_name").first()
    with translation.override("en"):
        return yearly_report(sites=[site], period=period_choose(year=timezone.localdate().year))


def test_the_charts_show_the_report_s_numbers_to_scale_and_print_without_menus(browser, demo_site):
    context, page = coordinator_page(browser, demo_site, locale="en-GB", width=1280)
    page.goto("/admin/yearly-report/")
    report = _report()
    signed_up = report.figure("newcomers_signed_up")

    chart = page.locator("#section-people ~ svg.report-chart").first
    expect(chart).to_be_visible()
    values = [int(text) for text in chart.locator("text.value").all_text_contents()]
    widths = [
        float(w)
        for w in chart.locator("rect").evaluate_all("rs => rs.map(r => r.getAttribute('width'))")
    ]
    assert values[0] == signed_up
    assert signed_up > 0
    for value, width in zip(values, widths, strict=True):
        assert width == pytest.approx(widths[0] * value / values[0], abs=0.01)
    languages = next(s for s in report.section("people").splits if s.key == "newcomers_by_language")
    table = page.locator("#split-newcomers_by_language table").inner_text()
    for label, count in languages.cells:
        assert re.search(rf"{re.escape(label)}\s+{count}\b", table), (label, count, table)
        assert count >= 5

    page.emulate_media(media="print")
    expect(page.locator("#wagtail-sidebar")).to_be_hidden()
    expect(page.locator("form.report-form")).to_be_hidden()
    expect(page.locator("#section-duos")).to_be_visible()
    context.close()


def test_in_arabic_on_a_phone_nothing_scrolls_sideways_and_axe_finds_nothing(browser, demo_site):
    context, page = coordinator_page(browser, demo_site, locale="ar", width=320)
    page.goto("/admin/yearly-report/")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("svg.report-chart[direction=rtl]").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    count, details = axe_violations(page)
    assert count == 0, details
    context.close()
