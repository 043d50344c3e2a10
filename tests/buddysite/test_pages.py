import re

import pytest
from wagtail.models import Locale

from buddypages.core import languages

pytestmark = pytest.mark.django_db


def html_attrs(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.content.decode())
    assert match, "no <html lang dir> in the page"
    return match.group(1), match.group(2)


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_every_locale_renders_its_lang_and_dir(client, demo, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    expected_dir = "rtl" if code in {"ar", "fa", "ps"} else "ltr"
    assert html_attrs(response) == (code, expected_dir)
    assert demo.home_pages[code].title in response.content.decode()


def test_arabic_page_is_arabic_and_right_to_left(client, demo):
    body = client.get("/ar/").content.decode()
    assert "نتدرّب على اللغة الهولندية معًا" in body
    assert 'dir="rtl"' in body


def switcher_links(body: str) -> dict[str, str]:
    nav = body.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav)}


def test_switcher_links_to_each_translation_by_its_own_name(client, demo):
    body = client.get("/nl/").content.decode()
    links = switcher_links(body)
    assert links == {code: f"/{code}/" for code in languages.LANGUAGE_CODES}
    for name in ("Nederlands", "العربيّة", "Українська", "ትግርኛ", "پښتو", "Soomaali"):
        assert name in body
    assert 'href="/nl/" lang="nl" hreflang="nl" dir="ltr" aria-current="true"' in body


def test_switcher_falls_back_to_dutch_and_says_so(client, demo):
    demo.home_pages["fr"].unpublish()
    body = client.get("/en/").content.decode()
    links = switcher_links(body)
    assert links["fr"] == "/nl/"
    # The note is written in the language the reader picked.
    nav = body.split('class="language-switcher"', 1)[1]
    fr_item = nav.split('lang="fr"', 1)[1].split("</li>", 1)[0]
    assert 'hreflang="nl"' in nav.split('lang="fr"', 1)[1].split(">", 1)[0]
    assert "néerlandais" in fr_item
    assert links["en"] == "/en/"


def test_unpublished_translation_redirects_to_the_dutch_page(client, demo):
    assert client.get("/fr/").status_code == 200
    demo.home_pages["fr"].unpublish()
    response = client.get("/fr/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/"


def test_not_found_page_has_lang_and_dir(client, demo):
    response = client.get("/ar/does-not-exist/")
    assert response.status_code == 404
    assert html_attrs(response) == ("ar", "rtl")


def test_locales_exist_for_every_language(demo):
    assert set(Locale.objects.values_list("language_code", flat=True)) == set(
        languages.LANGUAGE_CODES
    )


def test_csrf_failure_is_explained_in_the_visitors_language(demo):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/ar/", {"name": "Samira"})
    assert response.status_code == 403
    assert html_attrs(response) == ("ar", "rtl")
    assert "أرسل الاستمارة مرة أخرى" in response.content.decode()


def test_not_found_page_switcher_leads_to_each_home_page(client, demo):
    body = client.get("/fr/does-not-exist/").content.decode()
    links = switcher_links(body)
    assert links["nl"] == "/nl/"
    assert links["ar"] == "/ar/"


def test_home_page_lists_every_section_falling_back_to_dutch(client, demo):
    from buddypages.models import ActivityCalendarPage, LanguageTipIndexPage

    somali = client.get("/so/").content.decode()
    dutch_tips = LanguageTipIndexPage.objects.get(locale__language_code="nl")
    dutch_calendar = ActivityCalendarPage.objects.get(locale__language_code="nl")
    # Not translated into Somali: listed in Dutch, marked as Dutch.
    assert f'href="{dutch_tips.url}" lang="nl" dir="ltr" hreflang="nl"' in somali
    assert f'href="{dutch_calendar.url}"' in somali
    arabic = client.get("/ar/").content.decode()
    arabic_tips = LanguageTipIndexPage.objects.get(locale__language_code="ar")
    assert f'href="{arabic_tips.url}">{arabic_tips.title}<' in arabic
