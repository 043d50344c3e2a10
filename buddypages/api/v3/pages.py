"""Reads of the content pages: language tips (and the tip of the week)."""

from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from buddypages.api.v3.schemas import (
    PAGE_ROW_FIELDS,
    ImageOut,
    ListQuery,
    Page_,
    PageItem,
    PageRow,
    PageSerializer,
    paginate,
    request_locale,
    request_site,
    site_pages,
)
from buddypages.pages.models import NEWEST_FIRST, LanguageTipIndexPage, LanguageTipPage

router = Router(tags=["language tips"])

Level = Literal["A1", "A2", "B1", "B2"]


class ThemeOut(Schema):
    key: str = Field(description="The theme's stable key, the same in every language.")
    name: str


class ExampleOut(Schema):
    speaker: str
    dutch: str = Field(description="The sentence in Dutch.")
    gloss: str = Field(description="What it means, in the page's language.")


class DocumentOut(Schema):
    url: str
    title: str


class TipOut(PageItem):
    phrase: str = Field(description="The Dutch word or phrase.")
    meaning: str
    examples: list[ExampleOut]
    level: Level
    theme: ThemeOut | None
    image: ImageOut | None
    audio: DocumentOut | None


class TipList(Page_):
    items: list[TipOut]


class SiteQuery(Schema):
    site: str | None = Field(
        None,
        max_length=255,
        description="A site's host name; default: the site this address belongs to.",
    )


class TipsQuery(ListQuery, SiteQuery):
    locale: str | None = Field(None, max_length=20, examples=["ar"])
    level: Level | None = None
    theme: str | None = Field(None, max_length=50, description="A theme key, e.g. 'doctor'.")


# A tip's fields, read as rows (PageRow): no page model is built for a list.
TIP_FIELDS = (
    *PAGE_ROW_FIELDS,
    "phrase",
    "meaning",
    "examples",
    "level",
    "theme__key",
    "theme__name",
    "image_id",
    "audio_id",
)
# An example's text fields are plain text (CharBlocks): their stored values are their values.
EXAMPLE_DEFAULTS = {
    name: block.get_default()
    for name, block in LanguageTipPage.examples.field.stream_block.child_blocks[
        "example"
    ].child_blocks.items()
}


class TipSerializer(PageSerializer):
    """Tips read as rows of ``TIP_FIELDS``; their images and audio fetched once per batch."""

    def __init__(self, request, site, tips: list[PageRow | LanguageTipPage]):
        tips = [_as_row(tip) for tip in tips]
        super().__init__(request, site, tips)
        image_ids = {tip.values["image_id"] for tip in tips} - {None}
        audio_ids = {tip.values["audio_id"] for tip in tips} - {None}
        images = get_image_model().objects.prefetch_related("renditions")
        self.images = images.in_bulk(image_ids) if image_ids else {}
        self.audio = get_document_model().objects.in_bulk(audio_ids) if audio_ids else {}

    def tip(self, tip: PageRow | LanguageTipPage) -> dict:
        tip = _as_row(tip)
        values = tip.values
        audio = self.audio.get(values["audio_id"])
        return {
            **self.item(tip),
            "phrase": values["phrase"],
            "meaning": values["meaning"],
            "examples": [
                {
                    "speaker": example.get("speaker") or "",
                    "dutch": example.get("dutch", EXAMPLE_DEFAULTS["dutch"]),
                    "gloss": example.get("gloss", EXAMPLE_DEFAULTS["gloss"]),
                }
                for example in _example_values(values["examples"])
            ],
            "level": values["level"],
            "theme": {"key": values["theme__key"], "name": values["theme__name"]}
            if values["theme__key"] is not None
            else None,
            "image": self.image(self.images.get(values["image_id"])),
            "audio": {"url": self.request.build_absolute_uri(audio.url), "title": audio.title}
            if audio
            else None,
        }


def _as_row(tip: PageRow | LanguageTipPage) -> PageRow:
    """A tip as a row, also for callers that hold the page itself (the page by address)."""
    if isinstance(tip, PageRow):
        return tip
    theme = tip.theme
    return PageRow(
        {
            "id": tip.pk,
            "title": tip.title,
            "slug": tip.slug,
            "url_path": tip.url_path,
            "translation_key": tip.translation_key,
            "last_published_at": tip.last_published_at,
            "content_type_id": tip.content_type_id,
            "locale__language_code": tip.locale.language_code,
            "phrase": tip.phrase,
            "meaning": tip.meaning,
            "examples": tip.examples,
            "level": tip.level,
            "theme__key": theme.key if theme else None,
            "theme__name": theme.name if theme else None,
            "image_id": tip.image_id,
            "audio_id": tip.audio_id,
        }
    )


def _example_values(examples) -> list[dict]:
    """The stored values of a tip's example blocks, without building the blocks (the costliest
    part of a tip's answer otherwise)."""
    return [block["value"] for block in examples.raw_data if block["type"] == "example"]


def _tips(site, locale):
    tips = site_pages(LanguageTipPage.objects.all(), site)
    if locale is not None:
        tips = tips.filter(locale=locale)
    return tips.order_by(NEWEST_FIRST, "-pk")


def _rows(values) -> list[PageRow]:
    return [PageRow(row) for row in values]


@router.get("/tips/", response=TipList, operation_id="list_tips", summary="Language tips")
def list_tips(request, query: Query[TipsQuery]):
    """Live language tips of the site, newest first, with every field."""
    site = request_site(request, query.site)
    tips = _tips(site, request_locale(query.locale))
    if query.level:
        tips = tips.filter(level=query.level)
    if query.theme:
        tips = tips.filter(theme__key=query.theme)

    def serialize(values):
        rows = _rows(values)
        serializer = TipSerializer(request, site, rows)
        return [serializer.tip(tip) for tip in rows]

    return _rendered(request, paginate(request, tips.values(*TIP_FIELDS), query, serialize))


def _rendered(request, data: dict) -> HttpResponse:
    """``data`` rendered as Django Ninja renders a view's answer, without validating it against
    the response schema first: the serializers build exactly that shape (the Schemathesis test
    checks every answer against the document), and validating a page of tips costs about as
    much as building it."""
    from buddypages.api.v3.api import get_api

    return get_api().create_response(request, data, status=200)


class WeekQuery(SiteQuery):
    locale: str = Field(max_length=20, examples=["ar"])


@router.get(
    "/tips/of-the-week/",
    response=TipOut,
    operation_id="tip_of_the_week",
    summary="The tip of the week",
)
def tip_of_the_week(request, query: Query[WeekQuery]):
    """The tip an editor features on the tips overview of that language, else the newest."""
    site = request_site(request, query.site)
    locale = request_locale(query.locale)
    overview = (
        site_pages(LanguageTipIndexPage.objects.all(), site)
        .filter(locale=locale)
        .select_related("featured_tip")
        .first()
    )
    tip = overview.tip_of_the_week() if overview else None
    if tip is None:
        raise Http404
    rows = _rows(_tips(site, None).filter(pk=tip.pk).values(*TIP_FIELDS))
    if not rows:
        raise Http404
    return TipSerializer(request, site, rows).tip(rows[0])
