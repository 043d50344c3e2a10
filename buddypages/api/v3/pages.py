"""Reads of the content pages: language tips (and the tip of the week)."""

from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema

from buddypages.api.v3.schemas import (
    ImageOut,
    ListQuery,
    Page_,
    PageItem,
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


class TipSerializer(PageSerializer):
    def tip(self, tip: LanguageTipPage) -> dict:
        audio = tip.audio
        return {
            **self.item(tip),
            "phrase": tip.phrase,
            "meaning": tip.meaning,
            "examples": [
                {
                    "speaker": example.get("speaker") or "",
                    "dutch": example.get("dutch", EXAMPLE_DEFAULTS["dutch"]),
                    "gloss": example.get("gloss", EXAMPLE_DEFAULTS["gloss"]),
                }
                for example in _example_values(tip)
            ],
            "level": tip.level,
            "theme": {"key": tip.theme.key, "name": tip.theme.name} if tip.theme else None,
            "image": self.image(tip.image),
            "audio": {"url": self.request.build_absolute_uri(audio.url), "title": audio.title}
            if audio
            else None,
        }


# An example's text fields are plain text (CharBlocks): their stored values are their values.
EXAMPLE_DEFAULTS = {
    name: block.get_default()
    for name, block in LanguageTipPage.examples.field.stream_block.child_blocks[
        "example"
    ].child_blocks.items()
}


def _example_values(tip: LanguageTipPage) -> list[dict]:
    """The stored values of a tip's example blocks, without building the blocks (the costliest
    part of a tip's answer otherwise)."""
    return [block["value"] for block in tip.examples.raw_data if block["type"] == "example"]


# Page columns a tip's answer never reads (editing and scheduling state): not loaded.
UNREAD_PAGE_FIELDS = (
    "path",
    "depth",
    "numchild",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
    "draft_title",
    "owner",
    "alias_of",
    "show_in_menus",
    "seo_title",
    "search_description",
)


def _tips(site, locale):
    tips = site_pages(LanguageTipPage.objects.all(), site).select_related(
        "locale", "theme", "image", "audio"
    )
    if locale is not None:
        tips = tips.filter(locale=locale)
    return (
        tips.prefetch_related("image__renditions")
        .defer(*UNREAD_PAGE_FIELDS)
        .order_by(NEWEST_FIRST, "-pk")
    )


@router.get("/tips/", response=TipList, operation_id="list_tips", summary="Language tips")
def list_tips(request, query: Query[TipsQuery]):
    """Live language tips of the site, newest first, with every field."""
    site = request_site(request, query.site)
    tips = _tips(site, request_locale(query.locale))
    if query.level:
        tips = tips.filter(level=query.level)
    if query.theme:
        tips = tips.filter(theme__key=query.theme)

    def serialize(page):
        serializer = TipSerializer(request, site, page)
        return [serializer.tip(tip) for tip in page]

    return _rendered(request, paginate(request, tips, query, serialize))


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
    tip = _tips(site, None).get(pk=tip.pk)
    return TipSerializer(request, site, [tip]).tip(tip)
