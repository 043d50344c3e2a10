"""The shared serialiser of API v3 lists: the addresses it builds are Wagtail's own."""

import pytest
from wagtail.models import Locale, Page, PageViewRestriction, Site

from buddypages.models import LanguageTipPage

pytestmark = pytest.mark.django_db

API = "/api/v3"


@pytest.fixture
def client(client, demo):
    site = Site.objects.get(is_default_site=True)
    client.defaults["HTTP_HOST"] = site.root_url.split("://", 1)[1]
    return client


def tips(client, **params):
    response = client.get(f"{API}/tips/", {"limit": 100, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["items"]


def test_every_tip_and_translation_has_the_address_wagtail_gives(client, demo):
    site = Site.objects.get(is_default_site=True)
    items = tips(client)
    assert len(items) == 100
    pages = Page.objects.in_bulk([item["id"] for item in items])
    for item in items:
        page = pages[item["id"]]
        assert item["url"] == page.get_full_url()
        assert item["path"] == page.get_url(current_site=site)
        assert item["path"].startswith(f"/{item['locale']}/")
        for other in item["translations"]:
            assert other["url"] == Page.objects.get(pk=other["id"]).get_full_url()


def test_an_address_with_letters_outside_ascii_is_quoted_as_wagtail_quotes_it(client, demo):
    arabic = Locale.objects.get(language_code="ar")
    tip = LanguageTipPage.objects.filter(locale=arabic).live().first()
    tip.slug = "المكتبة-والكتب"
    tip.save_revision().publish()
    tip.refresh_from_db()
    assert "المكتبة" in tip.url_path

    (item,) = [item for item in tips(client, locale="ar") if item["id"] == tip.pk]
    assert item["url"] == tip.get_full_url()
    assert "%D8%A7%D9%84%D9%85%D9%83%D8%AA%D8%A8%D8%A9" in item["url"]
    dutch = tip.get_translation(Locale.objects.get(language_code="nl"))
    (item,) = [item for item in tips(client, locale="nl") if item["id"] == dutch.pk]
    (other,) = [other for other in item["translations"] if other["id"] == tip.pk]
    assert other["url"] == tip.get_full_url()


def test_a_private_section_leaves_the_lists_and_the_translations(client, demo):
    arabic = Locale.objects.get(language_code="ar")
    overview = LanguageTipPage.objects.filter(locale=arabic).live().first().get_parent()
    assert tips(client, locale="ar")  # what a list reads of the site is remembered, until...
    PageViewRestriction.objects.create(
        page=overview, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    private = set(Page.objects.descendant_of(overview).values_list("pk", flat=True))

    assert tips(client, locale="ar") == []
    for item in tips(client, locale="nl"):
        assert item["translations"]
        assert not {other["id"] for other in item["translations"]} & private


def test_the_tips_list_takes_the_same_queries_for_5_tips_as_for_100(
    client, demo, django_assert_num_queries
):
    tips(client, limit=5)  # the site's bounds are remembered from the first read
    with django_assert_num_queries(4):  # generation, count, tips, their translations
        assert len(tips(client, limit=5)) == 5
    with django_assert_num_queries(4):
        assert len(tips(client, limit=100)) == 100


def test_every_tips_examples_are_its_example_blocks(client, demo):
    items = tips(client, locale="ar")
    assert any(item["examples"] for item in items)
    for item in items:
        tip = LanguageTipPage.objects.get(pk=item["id"])
        assert item["examples"] == [
            {
                "speaker": block.value["speaker"] or "",
                "dutch": block.value["dutch"],
                "gloss": block.value["gloss"],
            }
            for block in tip.examples
        ]


def test_a_tips_image_and_audio_are_absolute_with_alt_text_and_title(client, demo):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="De bib", description="Boeken op een rek", file=get_test_image_file()
    )
    audio = get_document_model().objects.create(
        title="Uitspraak: de bib", file=ContentFile(b"ID3", name="de-bib.mp3")
    )
    tip = LanguageTipPage.objects.filter(locale__language_code="nl").live().first()
    tip.image, tip.audio = image, audio
    tip.save_revision().publish()
    origin = Site.objects.get(is_default_site=True).root_url

    for answer in (
        next(item for item in tips(client, locale="nl") if item["id"] == tip.pk),
        client.get(f"{API}/tips/of-the-week/", {"locale": "nl"}).json(),
    ):
        if answer["id"] != tip.pk:
            continue
        rendition = image.get_rendition("fill-600x400")
        assert answer["image"] == {
            "url": origin + rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": "Boeken op een rek",
        }
        assert answer["audio"] == {"url": origin + audio.url, "title": "Uitspraak: de bib"}
