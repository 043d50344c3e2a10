"""Wagtail API v2: pages, images and documents, read-only.

Pages are filtered by language with ``?locale=nl`` and by type with
``?type=buddypages.LanguageTipPage``; tips also by ``level=A1`` (a field
filter) and ``theme_key=doctor`` (the theme's stable key, the same in every
language). Personal data never goes through here.

Every answer is JSON, errors included: ``{"message": "..."}`` with a 400 for a
query the API cannot answer, never a 500 (see ``tests/buddysite/test_hostile_query.py``).
``/api/v2/pages/find/?html_path=`` takes the address a visitor sees, language
prefix included (``/ar/buddywerking/``).
"""

import functools

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from wagtail.api.v2 import filters
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, PageViewRestriction, Site

from buddypages.core.memo import remembered
from buddypages.core.queries import clean_request_query
from buddypages.core.search import clean_text as clean_search
from buddypages.pages.selectors import page_for_path

# The largest integer SQLite and PostgreSQL store; Python's are unbounded.
MAX_INTEGER = 2**63 - 1
# An offset past this finds nothing in any table this site will have.
MAX_OFFSET = 2**31 - 1
# Listings with longer addresses are counted every time (bounded cache keys).
MAX_REMEMBERED_PATH = 300


def as_integer(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


class FieldsFilter(filters.FieldsFilter):
    """Wagtail's field filters (``?level=A1``), with a 400 for values no column can hold.

    Wagtail checks integers, booleans and foreign keys for their syntax only:
    dates, times and decimals that do not parse, and integers beyond 64 bits
    (which SQLite refuses to bind), would end in a 500.
    """

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            try:
                field = queryset.model._meta.get_field(name) if name in fields else None
            except FieldDoesNotExist:
                field = None
            integer = as_integer(value)
            numeric = (models.IntegerField, models.ForeignKey)
            if isinstance(field, numeric) and integer is not None and abs(integer) > MAX_INTEGER:
                raise BadRequestError(f"field filter error: {name} is out of range")
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as error:
            raise BadRequestError(f"field filter error: {' '.join(error.messages)}") from error


class Pagination(WagtailPagination):
    """Wagtail's, with a 400 for an offset SQLite cannot bind (a 500 otherwise)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = as_integer(request.GET.get("offset", ""))
        if offset is not None and offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        if (
            isinstance(view, BuddyPagesAPIViewSet)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and len(request.get_full_path()) <= MAX_REMEMBERED_PATH
        ):
            # Without a session (which may have passed a page's password), the total of a
            # listing changes only with the content: count it once per content generation.
            key = f"api-v2-count:{request.get_host()}:{request.get_full_path()}"
            queryset.count = functools.partial(remembered, request, key, queryset.count)
        page = super().paginate_queryset(queryset, request, view)
        if isinstance(view, BuddyPagesAPIViewSet):
            # Each page's html_url would read the sites' root paths from the cache again.
            root_paths = Site.get_site_root_paths()
            page = list(page)
            for item in page:
                item._wagtail_cached_site_root_paths = root_paths
        return page


def with_safe_filters(backends: list) -> list:
    return [FieldsFilter if backend is filters.FieldsFilter else backend for backend in backends]


class JSONErrorsMixin:
    """What every endpoint adds to Wagtail's: a 400 where Wagtail would fail, and
    ``{"message": ...}`` for the errors Django REST framework words (405, 406)."""

    pagination_class = Pagination

    def initialize_request(self, request, *args, **kwargs):
        # Whatever the host's middleware and search backend: no control character reaches
        # a filter, and ?search= holds only what any backend can take.
        clean_request_query(request)
        if "search" in request.GET:
            query = request.GET.copy()
            query["search"] = clean_search(query["search"])
            request.GET = query
        return super().initialize_request(request, *args, **kwargs)

    def find_object(self, queryset, request):
        if "id" in request.GET:
            found = as_integer(request.GET["id"])
            if found is None or abs(found) > MAX_INTEGER:
                raise BadRequestError("id must be an integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and set(response.data) == {"detail"}:
            response.data = {"message": str(response.data["detail"])}
        return response


class BuddyPagesAPIViewSet(JSONErrorsMixin, PagesAPIViewSet):
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["theme_key"])
    filter_backends = with_safe_filters(PagesAPIViewSet.filter_backends)

    @classmethod
    def get_object_detail_urlpath(cls, model, pk, namespace=""):
        # Each listed page's detail_url is a reverse(): the same answer for the same page.
        return _detail_urlpath(namespace, pk, get_script_prefix(), get_urlconf())

    def get_base_queryset(self):
        """Wagtail's public pages of the site (``get_public_pages_queryset``), built once per
        request instead of three times, from reads remembered per content generation: the
        privacy rules (each still judged against this request) and the home page's
        translations."""
        if not hasattr(self, "_public_pages"):
            self._public_pages = self._build_public_pages()
        return self._public_pages.all()

    def _build_public_pages(self):
        request = self.request
        queryset = Page.objects.all().live()
        restrictions = remembered(
            request,
            "api-page-restrictions",
            lambda: list(PageViewRestriction.objects.select_related("page")),
        )
        for restriction in restrictions:
            if not restriction.accept_request(request):
                queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
        try:
            site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
        except ValueError as error:
            raise BadRequestError(str(error)) from error
        if not site:
            return queryset.none()
        roots, parent = remembered(request, f"api-site-roots:{site.pk}", lambda: _roots(site))
        if parent is not None:
            # The home pages are all the children of their parent: one condition, not one
            # per language (the same pages, a cheaper query to build and to run).
            return queryset.descendant_of(parent)
        public = queryset.descendant_of(roots[0], inclusive=True)
        for root in roots[1:]:
            public |= queryset.descendant_of(root, inclusive=True)
        return public

    def get_queryset(self):
        from buddypages.models import LanguageTipPage

        language = self.request.GET.get("locale")
        codes = remembered(
            self.request,
            "api-locale-codes",
            lambda: set(Locale.objects.values_list("language_code", flat=True)),
        )
        if language is not None and language not in codes:
            codes = ", ".join(Locale.objects.order_by("pk").values_list("language_code", flat=True))
            raise BadRequestError(f"unknown locale {language[:20]!r}: use one of {codes}")
        # The listing names each page's language: one join instead of a query per page.
        queryset = super().get_queryset().select_related("locale")
        theme_key = self.request.GET.get("theme_key")
        if theme_key is not None:
            if not theme_key:
                raise BadRequestError("theme_key must not be empty")
            tips = LanguageTipPage.objects.filter(theme__key=theme_key).values("pk")
            queryset = queryset.filter(pk__in=tips)
        return queryset

    def find_object(self, queryset, request):
        """``html_path`` as visitors see it: ``/ar/buddywerking/`` is the Arabic page.

        Wagtail routes the path from the site's root page, in the default
        language; a path that starts with a language prefix is routed from the
        root page's translation into that language instead.
        """
        site = Site.find_for_request(request)
        path = "/" + request.GET.get("html_path", "").lstrip("/")
        language = translation.get_language_from_path(path)
        if "html_path" not in request.GET or site is None or language is None:
            return super().find_object(queryset, request)
        page = page_for_path(site=site, path=path, request=request)
        return page if page is not None and queryset.filter(pk=page.pk).exists() else None


@functools.lru_cache(maxsize=4096)
def _detail_urlpath(namespace: str, pk, _script_prefix: str, _urlconf) -> str:
    return PagesAPIViewSet.get_object_detail_urlpath(Page, pk, namespace=namespace)


def _roots(site: Site) -> tuple[list[Page], Page | None]:
    """The site's home page and its translations, and their parent when they are all its
    children (else None)."""
    roots = [site.root_page, *site.root_page.get_translations()]
    parent = site.root_page.get_parent()
    if parent is None:
        return roots, None
    children = set(parent.get_children().values_list("pk", flat=True))
    return roots, parent if children == {root.pk for root in roots} else None


class BuddyImagesAPIViewSet(JSONErrorsMixin, ImagesAPIViewSet):
    filter_backends = with_safe_filters(ImagesAPIViewSet.filter_backends)


class BuddyDocumentsAPIViewSet(JSONErrorsMixin, DocumentsAPIViewSet):
    filter_backends = with_safe_filters(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", BuddyPagesAPIViewSet)
api_router.register_endpoint("images", BuddyImagesAPIViewSet)
api_router.register_endpoint("documents", BuddyDocumentsAPIViewSet)
