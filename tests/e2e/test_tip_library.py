"""The region's tips library, included by the demo town, in Arabic on a 320 px phone."""

import re

import pytest
from playwright.sync_api import expect

from buddysite.demo import tip_library

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
TRANSLATED, UNTRANSLATED = tip_library.TIPS[0], tip_library.TIPS[2]


@pytest.fixture(scope="module")
def library(demo_site, django_db_blocker):
    """The demo's library (idempotent: a no-op once the loader makes it)."""
    from wagtail.models import Locale

    from buddypages.pages.snippets import LanguageTipTheme

    with django_db_blocker.unblock():
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        themes = {
            theme.key: theme for theme in LanguageTipTheme.objects.filter(locale=locales["nl"])
        }
        return tip_library.ensure_tip_library(locales, themes)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_librarys_tips_in_arabic_at_320_px(open_page, library):
    page = open_page(locale="ar", viewport=NARROW).page
    page.goto("/ar/taaltips/")
    listing = page.locator("section[aria-labelledby=tips-heading]")
    translated = listing.locator("article.tip-card", has_text=TRANSLATED["phrase"])
    untranslated = listing.locator("article.tip-card", has_text=UNTRANSLATED["phrase"])
    expect(translated).to_contain_text(TRANSLATED["meaning"]["ar"][:30])
    expect(translated).not_to_have_attribute("lang", "nl")
    expect(untranslated).to_have_attribute("lang", "nl")
    expect(untranslated).to_have_attribute("dir", "ltr")
    expect(untranslated).to_contain_text(UNTRANSLATED["meaning"]["nl"][:30])
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _no_sideways_scroll(page)
    count, report = axe_violations(page)
    assert count == 0, report
    page.screenshot(path="var/e2e-tip-library-ar-320.png", full_page=True)

    translated.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/ar/taaltips/library/het-containerpark/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("article.tip")).to_contain_text(TRANSLATED["meaning"]["ar"][:30])
    _no_sideways_scroll(page)
    count, report = axe_violations(page)
    assert count == 0, report


def test_an_untranslated_library_tip_opens_in_dutch(open_page, library):
    page = open_page(locale="ar", viewport=NARROW).page
    page.goto("/ar/taaltips/")
    card = page.locator("article.tip-card", has_text=UNTRANSLATED["phrase"]).first
    card.get_by_role("link").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert "/nl/taaltips/library/" in page.url
    expect(page.locator("article.tip")).to_contain_text(UNTRANSLATED["meaning"]["nl"][:30])
    _no_sideways_scroll(page)
    count, report = axe_violations(page)
    assert count == 0, report
