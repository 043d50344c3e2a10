"""A whole-response cache for anonymous page views.

Only GET and HEAD requests from visitors who are not logged in are served
from or stored in the cache, and only complete 200 responses that set no
cookie and are not marked private. Keys carry the content generation
(:class:`buddysite.models.CacheGeneration`), which ``buddysite.signals``
bumps when pages are published, unpublished, moved or deleted.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http.request import split_domain_port
from wagtail.models import Site

from buddysite.models import CacheGeneration

logger = logging.getLogger(__name__)

GENERATION_PK = 1
MAX_CACHED_BYTES = 1_000_000
# Paths whose responses are personal, dynamic or already served elsewhere.
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/documents/", "/static/", "/media/")
CACHE_HEADER = "X-Page-Cache"


def current_generation() -> int:
    value = CacheGeneration.objects.filter(pk=GENERATION_PK).values_list("value", flat=True).first()
    return value or 0


def bump_generation() -> None:
    """Make every cached page stale. Runs inside the caller's transaction."""
    updated = CacheGeneration.objects.filter(pk=GENERATION_PK).update(value=F("value") + 1)
    if not updated:
        CacheGeneration.objects.get_or_create(pk=GENERATION_PK, defaults={"value": 1})


def request_generation(request) -> int:
    """The content generation, read at most once per request."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = current_generation()
        if request is not None:
            request.content_generation = generation
    return generation


def _may_use_cache(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    return not (settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated)


def _cache_key(request, generation: int) -> str:
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"pagecache:{generation}:{digest}"


def _may_store(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "is_preview", False):
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
        cached = cache.get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _may_store(request, response):
            try:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:  # a failing cache must never break a page view
                logger.exception("Could not store a page in the cache")
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
            found = cache.get(key)
            if found is None:
                found = (Site._find_for_request(request),)
                cache.set(key, found, settings.PAGE_CACHE_SECONDS or 300)
            request._wagtail_site = found[0]
        return self.get_response(request)
