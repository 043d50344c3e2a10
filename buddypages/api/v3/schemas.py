"""The shapes every page-like item of the v3 API shares, and the helpers that fill them.

A list answers ``{"count": N, "next": url|null, "previous": url|null, "items": [...]}``. Every
item carries its locale, its public address (absolute), and ``translations``: the same item in
the site's other locales, live and public only. Images come as absolute rendition URLs with
their alt text. Nothing here ever carries personal data: these are pages and snippets.
"""

import re
from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.urls import serve_pattern as SERVE_PATTERN

from buddypages.api.v3.errors import APIInputError
from buddypages.core.generation import request_generation

WAGTAIL_I18N = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
# What ``reverse()`` leaves unquoted (django.urls.resolvers).
REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"

SITE_BOUNDS_SECONDS = 300
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1


class TranslationOut(Schema):
    locale: str = Field(examples=["ar"])
    id: int
    title: str
    url: str | None = Field(description="The page's public address, absolute.")


class ImageOut(Schema):
    url: str = Field(description="An absolute URL of a rendition of the image.")
    width: int
    height: int
    alt: str = Field(description="Alternative text for people who cannot see the image.")


class PageItem(Schema):
    id: int
    type: str = Field(examples=["buddypages.LanguageTipPage"])
    locale: str = Field(examples=["nl"])
    title: str
    slug: str
    url: str | None = Field(description="The page's public address, absolute.")
    path: str | None = Field(description="The address within the site, with its language prefix.")
    last_published_at: datetime | None
    translations: list[TranslationOut]


class Page_(Schema):
    """Pagination fields, mixed into each list's schema."""

    count: int = Field(description="How many items match, on every page together.")
    next: str | None = Field(description="The next page of results, or null.")
    previous: str | None = Field(description="The previous page of results, or null.")


class ListQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def request_site(request, site: str | None = None) -> Site:
    """The Wagtail Site the request resolves to, or the one ``?site=`` names (its host name,
    or ``host:port``)."""
    if site:
        hostname, _sep, port = site.partition(":")
        sites = Site.objects.filter(hostname=hostname)
        if port:
            sites = sites.filter(port=port) if port.isdigit() else sites.none()
        found = sites.select_related("root_page").first()
        if found is None:
            raise APIInputError(["query", "site"], _("No site has this host name."))
    else:
        found = Site.find_for_request(request)
        if found is None:
            raise APIInputError(["query", "site"], _("No site answers at this address."))
    _remember_bounds(request, found)
    return found


def request_locale(language: str | None) -> Locale | None:
    if not language:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise APIInputError(["query", "locale"], _("This site has no content in this language."))
    return locale


def _site_bounds(site: Site) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Where the site's pages are, as (path, depth) subtrees: its root page in every locale,
    and every private section.

    Roots that are all the pages at their depth under one parent (the usual one home page per
    language under Wagtail's root) become that parent's subtree below its depth: the same
    pages, in two conditions instead of one per language.
    """
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    siblings = defaultdict(list)
    for path, depth in roots.values_list("path", "depth"):
        siblings[path[: -Page.steplen], depth].append(path)
    under = []
    for (parent, depth), paths in siblings.items():
        if Page.objects.filter(path__startswith=parent, depth=depth).count() == len(paths):
            under.append((parent, depth))
        else:
            under.extend((path, depth) for path in paths)
    private = PageViewRestriction.objects.values_list("page__path", "page__depth")
    return under, list(private)


def _site_filter(site: Site, bounds=None) -> Q:
    """Under the site's root page (in any locale) and outside every private section: built once
    per site object (a request's site is its own object), so a request's lists share it."""
    under = getattr(site, "_buddypages_public_under", None)
    if under is None:
        roots, private = bounds or _site_bounds(site)
        under = Q()
        for path, depth in roots:
            under |= Q(path__startswith=path, depth__gte=depth)
        for path, depth in private:
            under &= ~Q(path__startswith=path, depth__gte=depth)
        site._buddypages_public_under = under
    return under


def _remember_bounds(request, site: Site) -> None:
    """Read the site's bounds from the cache, under the content generation (publishing,
    moving, privacy rules and sites all move it)."""
    key = f"buddypages-api-site:{request_generation(request)}:{site.pk}"
    bounds = cache.get(key)
    if bounds is None:
        bounds = _site_bounds(site)
        cache.set(key, bounds, SITE_BOUNDS_SECONDS)
    _site_filter(site, bounds)


def site_pages(queryset, site: Site):
    """Live, public pages under the site's root, in any of its locales."""
    return queryset.live().filter(_site_filter(site))


def paginate(request, queryset, query: ListQuery, serialize) -> dict:
    """One page of ``queryset``: ``serialize`` turns the page's objects into items."""
    count = queryset.count()
    rows = list(queryset[query.offset : query.offset + query.limit])
    items = serialize(rows)
    return {
        "count": count,
        "next": _page_link(request, query.offset + query.limit, query.limit)
        if query.offset + query.limit < count
        else None,
        "previous": _page_link(request, max(query.offset - query.limit, 0), query.limit)
        if query.offset > 0
        else None,
        "items": items,
    }


def _page_link(request, offset: int, limit: int) -> str:
    params = QueryDict(mutable=True)
    params.update(request.GET)
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}"
    )


# What PageRow reads: ``queryset.values(*PAGE_ROW_FIELDS, ...)``.
PAGE_ROW_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "translation_key",
    "last_published_at",
    "content_type_id",
    "locale__language_code",
)


class PageRow:
    """What :meth:`PageSerializer.item` reads of a page, from a row of
    ``values(*PAGE_ROW_FIELDS, ...)``: building page models costs more than the rest of a
    list's answer. ``values`` keeps the whole row for the serialiser's own fields."""

    def __init__(self, values: dict):
        self.values = values
        self.pk = values["id"]
        self.title = values["title"]
        self.slug = values["slug"]
        self.url_path = values["url_path"]
        self.translation_key = values["translation_key"]
        self.last_published_at = values["last_published_at"]
        self.locale = SimpleNamespace(language_code=values["locale__language_code"])
        content_type = ContentType.objects.get_for_id(values["content_type_id"])
        self.specific_class = content_type.model_class()

    def page(self) -> Page:
        """The page itself, for what a row cannot do (a page class with its own URLs)."""
        return self.specific_class.objects.get(pk=self.pk)


class PageSerializer:
    """Fills :class:`PageItem` for a batch of pages (or :class:`PageRow`) with a fixed number
    of queries.

    URLs are Wagtail's (``get_url_parts``), each computed once per batch; in the usual case
    (the page in one site, Wagtail's i18n URLs, a page class that does not route itself) the
    path that ``reverse()`` would give is built from the language's prefix as ``reverse()``
    builds it, and anything else is left to Wagtail.
    """

    def __init__(self, request, site: Site, pages):
        self.request = request
        self.site = site
        self._parts = {}
        self._prefixes = {}
        self._site_root_paths = Site.get_site_root_paths()
        keys = {page.translation_key for page in pages}
        self.translations = defaultdict(list)
        if keys:
            others = (
                site_pages(Page.objects.filter(translation_key__in=keys), site)
                .order_by("locale__language_code")
                .values_list("id", "title", "url_path", "translation_key", "locale__language_code")
            )
            for other in others:
                self.translations[other[3]].append(other)

    def _serve_prefix(self, language_code: str) -> str | None:
        """``reverse("wagtail_serve", args=("",))`` in the language Wagtail would use."""
        if language_code not in self._prefixes:
            language = language_code
            try:
                active = translation.get_language()
                if get_supported_content_language_variant(active) == language_code:
                    language = active
            except LookupError:
                pass
            with translation.override(language):
                try:
                    self._prefixes[language_code] = reverse("wagtail_serve", args=("",))
                except NoReverseMatch:
                    self._prefixes[language_code] = None
        return self._prefixes[language_code]

    def _parts_for(self, url_path: str, page_class=Page):
        """``page_class(url_path=url_path).get_url_parts(request)``."""
        possible = [root for root in self._site_root_paths if url_path.startswith(root.root_path)]
        if not possible:
            return None
        site_id, root_path, root_url, language_code = possible[0]
        rest = url_path[len(root_path) :]
        if (
            page_class.get_url_parts is not Page.get_url_parts
            or len({root[0] for root in possible}) > 1
            or not (WAGTAIL_I18N and WAGTAIL_APPEND_SLASH)
            or self._serve_prefix(language_code) is None
            or not re.match(SERVE_PATTERN, rest)
        ):
            return page_class(url_path=url_path).get_url_parts(request=self.request)
        return (site_id, root_url, self._serve_prefix(language_code) + quote(rest, REVERSE_SAFE))

    def _url_parts(self, page):
        page_class = type(page) if isinstance(page, Page) else page.specific_class or Page
        key = (page_class, page.pk)
        if key not in self._parts:
            if page_class.get_url_parts is Page.get_url_parts:
                self._parts[key] = self._parts_for(page.url_path, page_class)
            else:
                page = page if isinstance(page, Page) else page.page()
                self._parts[key] = page.get_url_parts(request=self.request)
        return self._parts[key]

    @staticmethod
    def _routable(parts):
        return None if parts is None or parts[1] is None and parts[2] is None else parts

    def url(self, page) -> str | None:
        """``page.get_full_url(request)``."""
        parts = self._routable(self._url_parts(page))
        return None if parts is None else parts[1] + parts[2]

    def _path(self, page) -> str | None:
        """``page.get_url(request, current_site=self.site)``: relative on this site."""
        parts = self._routable(self._url_parts(page))
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        sites = {root[0] for root in self._site_root_paths}
        return page_path if site_id == self.site.id or len(sites) == 1 else root_url + page_path

    def _translation_url(self, url_path: str) -> str | None:
        parts = self._routable(self._parts_for(url_path))
        return None if parts is None else parts[1] + parts[2]

    def item(self, page) -> dict:
        url = self.url(page)
        return {
            "id": page.pk,
            "type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
            "locale": page.locale.language_code,
            "title": page.title,
            "slug": page.slug,
            "url": url,
            "path": self._path(page) if url else None,
            "last_published_at": page.last_published_at,
            "translations": [
                {
                    "locale": language_code,
                    "id": pk,
                    "title": title,
                    "url": self._translation_url(url_path),
                }
                for pk, title, url_path, _key, language_code in self.translations[
                    page.translation_key
                ]
                if pk != page.pk
            ],
        }

    def image(self, image, spec: str = "fill-600x400") -> dict | None:
        if image is None:
            return None
        rendition = image.get_rendition(spec)
        return {
            "url": self.request.build_absolute_uri(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": getattr(image, "default_alt_text", "") or "",
        }
