"""The demo programme page and language tips, rendered in several languages and in the API."""

import re

import pytest
from django.contrib.auth import get_user_model

from buddypages.models import LanguageTipPage, ProgrammePage
from buddypages.pages.snippets import Partner
from buddysite.demo import programme as programme_data
from buddysite.demo import tips as tips_data

pytestmark = pytest.mark.django_db

LANGUAGES = ["nl", "ar", "uk"]


def html_attrs(body: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', body)
    assert match
    return match.group(1), match.group(2)


@pytest.mark.parametrize("code", LANGUAGES)
def test_programme_page_renders_in_each_language(client, demo, code):
    page = ProgrammePage.objects.get(locale__language_code=code)
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert html_attrs(body) == (code, "rtl" if code == "ar" else "ltr")
    data = programme_data.PROGRAMME
    assert data["title"][code] in body
    assert data["steps"][1]["title"][code] in body
    assert data["faq"][0]["question"][code] in body
    assert data["contact"]["email"] in body


@pytest.mark.parametrize("code", LANGUAGES)
def test_tip_index_and_tip_render_in_each_language(client, demo, code):
    tip = LanguageTipPage.objects.filter(locale__language_code=code).first()
    index = tip.get_parent()
    for url in (index.url, tip.url):
        response = client.get(url)
        assert response.status_code == 200
        assert html_attrs(response.content.decode())[0] == code


def test_dutch_phrases_are_marked_dutch_inside_an_arabic_page(client, demo):
    data = tips_data.TIPS[0]
    tip = LanguageTipPage.objects.get(locale__language_code="ar", phrase=data["phrase"])
    body = client.get(tip.url).content.decode()
    assert html_attrs(body) == ("ar", "rtl")
    assert f'<span lang="nl" dir="ltr">{data["phrase"]}</span>' in body
    example = data["examples"][0]
    dutch_line = re.search(
        r'<p class="examples__dutch">.*?<span lang="nl" dir="ltr">(.*?)</span>', body, re.S
    )
    assert dutch_line
    assert example["dutch"] in dutch_line.group(1)
    # The gloss is Arabic and carries the page's own language (no lang override).
    assert f'<p class="examples__gloss">{example["gloss"]["ar"]}</p>' in body
    assert data["meaning"]["ar"] in body


def test_phrase_and_examples_stay_dutch_in_every_translation(demo):
    for data in tips_data.TIPS:
        pages = LanguageTipPage.objects.filter(phrase=data["phrase"])
        assert {p.locale.language_code for p in pages} >= {"nl", "en", "fr", "ar", "uk"}
        for page in pages:
            assert [b.value["dutch"] for b in page.examples] == [
                ex["dutch"] for ex in data["examples"]
            ]


def test_demo_has_enough_tips_levels_and_themes(demo):
    dutch = LanguageTipPage.objects.live().filter(locale__language_code="nl")
    assert dutch.count() >= 24
    assert set(dutch.values_list("level", flat=True)) == {"A1", "A2", "B1", "B2"}
    assert dutch.values("theme").distinct().count() >= 6
    assert Partner.objects.filter(locale__language_code="ar").count() >= 3


def test_programme_page_query_count_does_not_grow_with_partners(
    client, demo, django_assert_max_num_queries
):
    page = ProgrammePage.objects.get(locale__language_code="nl")
    client.get(page.url + "?warm=1")
    with django_assert_max_num_queries(14):
        assert client.get(page.url + "?n=1").status_code == 200
    extra = [Partner.objects.create(name=f"Partner {n}", locale=page.locale) for n in range(6)]
    page.partners = [("partner", p) for p in [*page.partner_list(), *extra]]
    page.save_revision().publish()
    client.get(page.url + "?warm=2")
    with django_assert_max_num_queries(14):
        response = client.get(page.url + "?n=2")
    assert "Partner 5" in response.content.decode()


def test_api_exposes_tip_fields_and_filters(client, demo):
    data = client.get(
        "/api/v2/pages/",
        {
            "type": "buddypages.LanguageTipPage",
            "locale": "ar",
            "level": "A1",
            "fields": "phrase,meaning,examples,level,theme,image_thumbnail",
            "limit": 50,
        },
    ).json()
    assert data["meta"]["total_count"] == sum(1 for t in tips_data.TIPS if t["level"] == "A1")
    item = data["items"][0]
    assert item["meta"]["locale"] == "ar"
    assert item["level"] == "A1"
    assert item["theme"]["key"] in {key for key, _names in tips_data.THEMES}
    assert item["examples"][0]["value"]["dutch"]
    assert "image_thumbnail" in item


def test_api_filters_tips_by_theme_key(client, demo):
    key = tips_data.TIPS[0]["theme"]
    expected = sum(1 for t in tips_data.TIPS if t["theme"] == key)
    data = client.get(
        "/api/v2/pages/",
        {"type": "buddypages.LanguageTipPage", "locale": "uk", "theme_key": key, "fields": "theme"},
    ).json()
    assert data["meta"]["total_count"] == expected
    assert {item["theme"]["key"] for item in data["items"]} == {key}
    assert client.get("/api/v2/pages/", {"theme_key": ""}).status_code == 400


def test_api_exposes_programme_fields(client, demo):
    data = client.get(
        "/api/v2/pages/",
        {"type": "buddypages.ProgrammePage", "locale": "nl", "fields": "*"},
    ).json()
    item = data["items"][0]
    for field in ("summary", "steps", "faq", "duration_months", "meetings_per_month", "partners"):
        assert field in item
    assert item["duration_months"] == 6
    partner = item["partners"][0]["value"]
    assert partner["name"] == programme_data.PARTNERS[0][0]
    assert partner["url"].startswith("https://")


def test_search_finds_pages_of_the_current_language_only(client, demo):
    phrase = tips_data.TIPS[0]["phrase"]
    nl_tip = LanguageTipPage.objects.get(locale__language_code="nl", phrase=phrase)
    ar_tip = LanguageTipPage.objects.get(locale__language_code="ar", phrase=phrase)
    nl = client.get("/nl/search/", {"q": phrase}).content.decode()
    assert html_attrs(nl) == ("nl", "ltr")
    assert f'href="{nl_tip.url}"' in nl
    assert f'href="{ar_tip.url}"' not in nl
    ar = client.get("/ar/search/", {"q": phrase}).content.decode()
    assert html_attrs(ar) == ("ar", "rtl")
    assert f'href="{ar_tip.url}"' in ar
    assert f'href="{nl_tip.url}"' not in ar
    assert client.get("/nl/search/", {"q": ""}).status_code == 200


def test_editor_can_publish_a_tip_and_edit_partners(client, demo):
    editor = get_user_model().objects.get(username="editor")
    tip = LanguageTipPage.objects.filter(locale__language_code="nl").first()
    assert tip.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    assert client.get(f"/admin/pages/{tip.pk}/edit/").status_code == 200
    assert client.get("/admin/snippets/buddypages/partner/add/").status_code == 200
    assert client.get("/admin/snippets/buddypages/languagetiptheme/").status_code == 200


def test_api_gives_body_images_with_renditions(client, demo):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Duo", file=get_test_image_file())
    page = ProgrammePage.objects.get(locale__language_code="nl")
    page.body = [
        ("image", {"image": image, "alt_text": "Twee buddy's drinken koffie", "decorative": False})
    ]
    page.save_revision().publish()
    data = client.get(f"/api/v2/pages/{page.pk}/", {"fields": "body"}).json()
    block = data["body"][0]["value"]
    assert block["alt_text"] == "Twee buddy's drinken koffie"
    assert block["renditions"]["small"]["url"].endswith(".png")
    assert block["renditions"]["small"]["width"] <= 480
