"""A completed duo's page in a real browser: the certificate link and the invitation to the
closing celebration, accessible on a phone in Dutch, Arabic and Tigrinya; the PDF downloads."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 700}  # the smallest phones still in use


def completed_member_url(code: str, role: str = "newcomer") -> str:
    from buddypages.duos.models import Duo
    from buddypages.duos.tokens import duo_link_token

    duo = Duo.objects.filter(status=Duo.Status.COMPLETED).first()
    return f"/{code}/duo/{duo_link_token(duo, role)}/"


@pytest.mark.parametrize("code", ["nl", "ar", "ti"])
def test_the_closing_section_has_no_axe_violations_at_320_px(open_page, code):
    page = open_page(viewport=NARROW).page
    page.goto(completed_member_url(code))
    section = page.locator(".duo-closing")
    expect(section).to_be_visible()
    expect(section.locator("a[href*='/certificate/']")).to_be_visible()
    # Nothing sticks out sideways on a narrow phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_member_downloads_the_certificate_in_arabic_and_dutch(open_page):
    page = open_page(viewport=NARROW).page
    page.goto(completed_member_url("ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    with page.expect_download() as download:
        page.locator(".duo-closing a[href*='/certificate/']").click()
    assert download.value.suggested_filename == "certificate-participation-ar-nl.pdf"
    with open(download.value.path(), "rb") as file:
        reader = pypdf.PdfReader(io.BytesIO(file.read()))
    assert len(reader.pages) == 2
