"""The shapes every page-like item of the v3 API shares, and the helpers that fill them.

A list answers ``{"count": N, "next": url|null, "previous": url|null, "items": [...]}``. Every
item carries its locale, its public address (absolute), and ``translations``: the same item in
the site's other locales, live and public only. Images come as absolute rendition URLs with
their alt text. Nothing here ever carries personal data: these are pages and snippets.
"""

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from wagtail.models import Locale, Page, Site

from buddypages.api.v3.errors import APIInputError

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
        return found
    found = Site.find_for_request(request)
    if found is None:
        raise APIInputError(["query", "site"], _("No site answers at this address."))
    return found


def request_locale(language: str | None) -> Locale | None:
    if not language:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise APIInputError(["query", "locale"], _("This site has no content in this language."))
    return locale


def site_pages(queryset, site: Site):
    """Live, public pages under the site's root, in any of its locales."""
    root = site.root_page
    roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
    under = Q()
    for path in roots:
        under |= Q(path__startswith=path)
    return queryset.live().public().filter(under)


def paginate(request, queryset, query: ListQuery, serialize) -> dict:
    """One page of ``queryset``: ``serialize`` turns the page's objects into items."""
    count = queryset.count()
    items = serialize(list(queryset[query.offset : query.offset + query.limit]))
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


class PageSerializer:
    """Fills :class:`PageItem` for a batch of pages with a fixed number of queries."""

    def __init__(self, request, site: Site, pages):
        self.request = request
        self.site = site
        keys = {page.translation_key for page in pages}
        self.translations = defaultdict(list)
        if keys:
            others = (
                site_pages(Page.objects.filter(translation_key__in=keys), site)
                .select_related("locale")
                .order_by("locale__language_code")
                .only("id", "title", "url_path", "translation_key", "locale__language_code")
            )
            for other in others:
                self.translations[other.translation_key].append(other)

    def url(self, page) -> str | None:
        return page.get_full_url(self.request)

    def item(self, page) -> dict:
        url = self.url(page)
        return {
            "id": page.pk,
            "type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
            "locale": page.locale.language_code,
            "title": page.title,
            "slug": page.slug,
            "url": url,
            "path": page.get_url(self.request, current_site=self.site) if url else None,
            "last_published_at": page.last_published_at,
            "translations": [
                {
                    "locale": other.locale.language_code,
                    "id": other.pk,
                    "title": other.title,
                    "url": other.get_full_url(self.request),
                }
                for other in self.translations[page.translation_key]
                if other.pk != page.pk
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
