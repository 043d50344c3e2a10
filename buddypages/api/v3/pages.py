"""Reads of the content pages: language tips (and the tip of the week).

A site's tips are its own and those of the tips libraries its overviews include (another
overview, e.g. the region's, translated once): in a language, each library tip in that
language, else its Dutch original; ``library`` marks them, and their ``url`` and ``path`` are
their address on this site (``<overview>/library/<slug>/``).
"""

from typing import Literal

from django.db.models import Q
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

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
from buddypages.core.memo import remembered
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
    library: bool = Field(
        False,
        description="A tip of a tips library this site includes (shared by several sites); "
        "its url and path are its address on this site.",
    )


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

    def __init__(
        self, request, site, tips: list[PageRow | LanguageTipPage], libraries: list | None = None
    ):
        tips = [_as_row(tip) for tip in tips]
        super().__init__(request, site, tips)
        self.libraries = _LibraryAddresses(self, libraries or [], tips)
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
            **self.libraries.address(tip),
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


class _LibraryAddresses:
    """Where a library tip is read on the site: at the address of the site's overview that
    includes the library, in the tip's language (``library/<slug>/``); its translations alike."""

    def __init__(self, serializer: PageSerializer, libraries: list["IncludedLibrary"], tips):
        self.serializer = serializer
        self.libraries = libraries
        self.translations = {}
        keys = {tip.translation_key for tip in tips if self._library(tip) is not None}
        if keys:
            found = (
                LanguageTipPage.objects.live()
                .public()
                .filter(translation_key__in=keys)
                .order_by("locale__language_code")
                .values_list("id", "title", "slug", "url_path", "translation_key", "locale_id")
            )
            for row in found:
                self.translations.setdefault(row[4], []).append(row)

    def _library(self, tip) -> "IncludedLibrary | None":
        for library in self.libraries:
            if any(
                tip.url_path.startswith(url_path) and tip.url_path != url_path
                for url_path in library.url_paths
            ):
                return library
        return None

    def _url(self, library: "IncludedLibrary", locale_id: int, slug: str):
        overview = library.overviews.get(locale_id)
        if overview is None:
            return None, None
        item = self.serializer.item(overview)
        if item["url"] is None:
            return None, None
        rest = overview.library_subpath(slug)
        return item["url"] + rest, (item["path"] + rest if item["path"] else None)

    def address(self, tip: PageRow) -> dict:
        library = self._library(tip)
        if library is None:
            return {"library": False}
        url, path = self._url(library, library.locale_ids[tip.locale.language_code], tip.slug)
        translations = []
        for pk, title, slug, _url_path, _key, locale_id in self.translations.get(
            tip.translation_key, []
        ):
            if pk != tip.pk:
                translations.append(
                    {
                        "locale": library.language_codes[locale_id],
                        "id": pk,
                        "title": title,
                        "url": self._url(library, locale_id, slug)[0],
                    }
                )
        return {"library": True, "url": url, "path": path, "translations": translations}


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


class IncludedLibrary:
    """A tips library a site includes: where its tips are (the ``url_paths`` of the library
    in every language, the tree ``path`` and ``depth`` of the Dutch one) and the site's
    overview that includes it, by locale."""

    def __init__(self, library: LanguageTipIndexPage, overviews: list[LanguageTipIndexPage]):
        # Where its tips are, in every language (a row of a tip knows its url_path).
        self.url_paths = tuple(
            LanguageTipIndexPage.objects.filter(
                translation_key=library.translation_key
            ).values_list("url_path", flat=True)
        )
        self.path = library.path
        self.depth = library.depth
        self.overviews = {overview.locale_id: overview for overview in overviews}
        self.locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
        self.language_codes = {pk: code for code, pk in self.locale_ids.items()}

    def tips_q(self, locale) -> Q:
        """The library's tips in ``locale`` (each in Dutch until translated); all languages
        for ``None``."""
        children = Q(path__startswith=self.path, depth=self.depth + 1)
        originals = LanguageTipPage.objects.live().filter(children).values("translation_key")
        if locale is None:
            return Q(translation_key__in=originals)
        translated = (
            LanguageTipPage.objects.live()
            .filter(locale=locale, translation_key__in=originals)
            .values("translation_key")
        )
        return Q(locale=locale, translation_key__in=originals) | (
            children & ~Q(translation_key__in=translated)
        )


def included_libraries(request, site) -> list[IncludedLibrary]:
    """The tips libraries the site's overviews include, remembered per content generation."""

    def find() -> list[IncludedLibrary]:
        found = []
        dutch_overviews = site_pages(
            LanguageTipIndexPage.objects.filter(
                locale=Locale.get_default(), tip_library__isnull=False
            ),
            site,
        )
        for overview in dutch_overviews:
            library = overview.included_library()
            if library is not None:
                translations = site_pages(
                    LanguageTipIndexPage.objects.filter(translation_key=overview.translation_key),
                    site,
                )
                found.append(IncludedLibrary(library, list(translations)))
        return found

    return remembered(request, f"api-tip-libraries:{site.pk}", find)


def _tips(site, locale, libraries=()):
    tips = site_pages(LanguageTipPage.objects.all(), site)
    if locale is not None:
        tips = tips.filter(locale=locale)
    if libraries:
        shared = Q()
        for library in libraries:
            shared |= library.tips_q(locale)
        tips = tips | LanguageTipPage.objects.live().public().filter(shared)
    return tips.order_by(NEWEST_FIRST, "-pk")


def _rows(values) -> list[PageRow]:
    return [PageRow(row) for row in values]


@router.get("/tips/", response=TipList, operation_id="list_tips", summary="Language tips")
def list_tips(request, query: Query[TipsQuery]):
    """Live language tips of the site, newest first, with every field: its own and those of
    the tips libraries it includes (``library``: true), each in the language asked for, else
    in Dutch until it is translated."""
    site = request_site(request, query.site)
    libraries = included_libraries(request, site)
    tips = _tips(site, request_locale(query.locale), libraries)
    if query.level:
        tips = tips.filter(level=query.level)
    if query.theme:
        tips = tips.filter(theme__key=query.theme)

    def serialize(values):
        rows = _rows(values)
        serializer = TipSerializer(request, site, rows, libraries)
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
    """The tip an editor features on the tips overview of that language, else the newest it
    lists (its own tips and its library's)."""
    site = request_site(request, query.site)
    locale = request_locale(query.locale)
    overview = (
        site_pages(LanguageTipIndexPage.objects.all(), site)
        .filter(locale=locale)
        .select_related("featured_tip")
        .first()
    )
    tip = overview.listed_tip_of_the_week() if overview else None
    if tip is None:
        raise Http404
    libraries = included_libraries(request, site)
    rows = _rows(_tips(site, None, libraries).filter(pk=tip.pk).values(*TIP_FIELDS))
    if not rows:
        raise Http404
    return TipSerializer(request, site, rows, libraries).tip(rows[0])
