"""A whole-response cache for anonymous page views.

Only GET and HEAD requests from visitors who are not logged in are served
from or stored in the cache, and only complete 200 responses that set no
cookie and are not marked private. Keys carry the plugin's content generation
(:mod:`buddypages.core.generation`), which moves when pages are published,
unpublished, moved or deleted.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils.cache import get_conditional_response
from wagtail.models import Site

from buddypages.core.generation import request_generation

logger = logging.getLogger(__name__)

MAX_CACHED_BYTES = 1_000_000
# Paths whose responses are personal, dynamic or already served elsewhere.
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/documents/", "/static/", "/media/")
CACHE_HEADER = "X-Page-Cache"
API_PREFIX = "/api/"


def cache_get(key: str):
    """``cache.get`` that treats an unreachable cache as a miss."""
    try:
        return cache.get(key)
    except Exception:  # a failing cache must never break a page view
        logger.warning("The cache is unreachable; rendering without it", exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # a failing cache must never break a page view
        logger.warning("The cache is unreachable; not storing %s", key.split(":", 1)[0])


def _may_use_cache(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    # Any session (a logged-in editor, or a visitor who typed a page password)
    # can change what a page or the API shows: never share those views.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    # Previews rendered for the admin carry a fake request; never serve those.
    return not (getattr(request, "is_dummy", False) or getattr(request, "is_preview", False))


def _cache_key(request, generation: int) -> str:
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"pagecache:{generation}:{digest}"


def _may_store(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    # Pages ignore unknown query parameters, so each random ?x= would be a new
    # entry. The API answers 400 to parameters it does not know, and only 200s
    # are stored, so its query strings stay bounded; so do the views that check
    # theirs and say so with ``response.cache_with_query = True`` (the screen and
    # the widgets: an unknown parameter there is a redirect, never a 200).
    if (
        request.GET
        and not request.path.startswith(API_PREFIX)
        and not getattr(response, "cache_with_query", False)
    ):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # Requests with a session cookie never get here, so the session is empty;
    # a view that wrote to it starts a session for this visitor alone.
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    # The key holds neither cookies nor the Accept-Language header (the API's messages).
    vary = response.get("Vary", "").lower()
    if "cookie" in vary or "accept-language" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    return len(response.content) <= MAX_CACHED_BYTES


class AnonymousPageCacheMiddleware:
    """Serve anonymous page views from the cache; store those that may be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _cache_key(request, request_generation(request))
        cached = cache_get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            # A client that holds this version (If-None-Match) gets 304, as from the view.
            if cached.has_header("ETag"):
                return get_conditional_response(request, etag=cached["ETag"], response=cached)
            return cached
        response = self.get_response(request)
        if _may_store(request, response):
            cache_set(key, response, settings.PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        return response


class SiteLookupCacheMiddleware:
    """Remember which Wagtail Site answers a host name, until content changes.

    Wagtail looks the site up with a database query on every page view
    (``Site.find_for_request``, cached only on the request). Sites change
    rarely, and every change bumps the content generation, so the answer is
    cached under that generation and handed to Wagtail through the request
    attribute ``find_for_request`` reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(UNCACHED_PREFIXES):
            hostname = split_domain_port(request._get_raw_host())[0]
            key = f"wagtail-site:{request_generation(request)}:{hostname}:{request.get_port()}"
            found = cache_get(key)
            if found is None:
                site = Site._find_for_request(request)
                if site is not None:
                    # Wagtail's serve() reads site.root_page.specific next: keep it.
                    site = Site.objects.select_related("root_page").get(pk=site.pk)
                    site.root_page = site.root_page.specific
                found = (site,)
                cache_set(key, found, settings.PAGE_CACHE_SECONDS or 300)
            request._wagtail_site = found[0]
        return self.get_response(request)
