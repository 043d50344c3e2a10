"""A duo's vouchers in a real browser: the list on the duo page and the printable voucher,
accessible at 320 px, right to left in Arabic, and one sheet when printed."""

import pytest
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 720}  # the smallest phone the site supports


def demo_voucher():
    """A valid, unused demo voucher and its duo's newcomer link."""
    from django.utils import timezone

    from buddypages.duos.models import Voucher
    from buddypages.duos.tokens import duo_link_token

    voucher = (
        Voucher.objects.filter(used_at__isnull=True, offer__valid_until__gte=timezone.localdate())
        .select_related("offer", "duo")
        .first()
    )
    return voucher, duo_link_token(voucher.duo, "newcomer")


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_the_vouchers_on_the_duo_page_and_the_printable_one_pass_axe(open_page, code):
    voucher, token = demo_voucher()
    page = open_page(viewport=NARROW).page
    page.goto(f"/{code}/duo/{token}/")
    section = page.locator(".duo-vouchers")
    expect(section).to_contain_text(voucher.code)
    expect(section).to_contain_text(voucher.offer.partner_name)
    count, report = axe_violations(page)
    assert count == 0, report

    section.locator(f"a[href$='/voucher/{voucher.code}/']").click()
    expect(page.locator(".voucher__code")).to_have_text(voucher.code)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
    qr = page.locator(".voucher__qr svg")
    box = qr.bounding_box()
    # Big enough to scan from a phone held up to the till, and never wider than the screen.
    assert 200 <= box["width"] <= NARROW["width"]
    count, report = axe_violations(page)
    assert count == 0, report


def test_the_printed_voucher_is_the_voucher_alone(open_page):
    voucher, token = demo_voucher()
    page = open_page(viewport=NARROW).page
    page.emulate_media(media="print")
    page.goto(f"/nl/duo/{token}/voucher/{voucher.code}/")
    expect(page.locator(".voucher__code")).to_be_visible()
    expect(page.locator(".voucher__qr svg")).to_be_visible()
    expect(page.locator("header").first).to_be_hidden()
    expect(page.locator(".voucher__back")).to_be_hidden()
