"""Whole-response caches of the example host: anonymous page views, and the site lookup.

The page cache is two middlewares:

* :class:`AnonymousPageCacheMiddleware`, first in ``MIDDLEWARE``, answers a hit before any
  other middleware runs (no session, CSRF, authentication, two-step login, messages or login
  lockout), and on a miss stores the response as it leaves the whole stack: security headers,
  Content-Security-Policy, Content-Language, Vary and Cache-Control included, so that a hit is
  the response the miss gave, with ``X-Page-Cache: hit``.
* :class:`PageCacheGateMiddleware`, last before the views, judges the view's own response (its
  Vary and Cache-Control, a session it wrote to, a form token it used, its query string), which
  the outer middlewares would blur: the session middleware adds ``Vary: Cookie`` to every page.

Only GET and HEAD requests without a session cookie are served from or stored in the cache, and
only complete 200 responses that set no cookie and are not marked private. A CSRF cookie alone
does not keep a visitor from the cache: a view that puts a form token in a page makes Django
renew that cookie, and such a page is never stored, so no stored page depends on it.

Keys carry the plugin's content generation (:mod:`buddypages.core.generation`), which moves when
pages are published, unpublished, moved or deleted. A hit reads it from the database at most
once every ``PAGE_CACHE_GENERATION_SECONDS`` per process (the process that published forgets
its copy at once), so another process may serve the page as it was for that long after a
publish.

Every response leaves with a ``Cache-Control`` header (:func:`cache_control_for`): what the page
cache may store is public for browsers (``HTTP_CACHE_BROWSER_SECONDS``) and for shared caches
such as Varnish (``s-maxage``: ``HTTP_CACHE_SHARED_SECONDS``; publishing purges them through
``wagtail.contrib.frontend_cache``; the API's answers get no ``s-maxage``); anything with a
session, a cookie or a form token is ``private, no-store``; the rest (redirects, errors, pages
with unchecked query strings) is ``no-cache``. A view that sets its own header keeps it, unless
it is personal and says public.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.cache import get_conditional_response
from wagtail.models import Site

from buddypages.core.generation import recent_generation, request_generation

logger = logging.getLogger(__name__)

MAX_CACHED_BYTES = 1_000_000
# Paths whose responses are personal, dynamic or already served elsewhere.
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/documents/", "/static/", "/media/")
CACHE_HEADER = "X-Page-Cache"
API_PREFIX = "/api/"
# What a stored response may vary on once the whole stack has run: the session middleware adds
# Cookie (no request with a session cookie reaches the cache), the language middleware adds
# Accept-Language outside the language prefixes (the negotiated language is in the key), and
# Django REST framework adds Accept (it has one renderer).
FRONT_VARY = frozenset({"cookie", "accept-language", "accept"})
# Headers a 304 (or 412) from the cache leaves out: it has no body.
BODY_HEADERS = frozenset({"content-type", "content-length", CACHE_HEADER.lower()})
# The gate's verdict on the view's response, read by the front middleware.
STORABLE = "page_cache_storable"
PERSONAL_CACHE_CONTROL = "private, no-store"


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


def _has_session_cookie(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _may_share(request) -> bool:
    """May the answer to this request be shared, by this cache or by one in front?"""
    if request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    # Any session (a logged-in editor, or a visitor who typed a page password)
    # can change what a page or the API shows: never share those views.
    if _has_session_cookie(request):
        return False
    # Previews rendered for the admin carry a fake request; never serve those.
    return not (getattr(request, "is_dummy", False) or getattr(request, "is_preview", False))


def _cache_key(request, generation: int) -> str | None:
    """The key of this request's page, or None when its host is not allowed (the stack
    answers that with its own 400)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    # Outside the language prefixes (the API, /embed.js) the language middleware picks the
    # response's Content-Language from the visitor's cookie or Accept-Language.
    language = translation.get_language_from_request(request, check_path=True)
    raw = f"{request.scheme}://{host}{request.get_full_path()}|{language}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"pagecache:{generation}:{digest}"


def _vary(response) -> set[str]:
    return {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}


def _is_private(response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _may_store(request, response) -> bool:
    """May the view's own response be shared with every anonymous visitor?"""
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
    vary = _vary(response)
    if "cookie" in vary or "accept-language" in vary:
        return False
    if _is_private(response):
        return False
    return len(response.content) <= MAX_CACHED_BYTES


def _may_store_final(request, response) -> bool:
    """May the response, as it leaves the whole stack, be stored? The gate judged the view's."""
    verdict = getattr(response, STORABLE, None)
    if verdict is None:
        # No gate saw it: a middleware answered, or the cache wraps a view directly.
        verdict = _may_store(request, response)
    if not verdict or response.status_code != 200 or response.cookies:
        return False
    # Origin (CORS) or anything else the key does not hold.
    return _vary(response) <= FRONT_VARY and not _is_private(response)


def cache_control_for(request, response, *, shareable: bool) -> None:
    """Set Cache-Control (see the module's docstring)."""
    personal = (
        _has_session_cookie(request)
        or bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    )
    current = response.get("Cache-Control")
    if current:
        if personal and not any(word in current.lower() for word in ("private", "no-store")):
            response["Cache-Control"] = PERSONAL_CACHE_CONTROL
        return
    if personal:
        response["Cache-Control"] = PERSONAL_CACHE_CONTROL
    elif shareable and request.path.startswith(API_PREFIX):
        # Publishing purges only some of the API's addresses (not every query string, not
        # Wagtail's v2): shared caches keep its answers as briefly as browsers do.
        response["Cache-Control"] = f"public, max-age={settings.HTTP_CACHE_BROWSER_SECONDS}"
    elif shareable:
        response["Cache-Control"] = (
            f"public, max-age={settings.HTTP_CACHE_BROWSER_SECONDS}, "
            f"s-maxage={settings.HTTP_CACHE_SHARED_SECONDS}"
        )
    else:
        response["Cache-Control"] = "no-cache"


def _conditional(request, cached):
    """The cached response, or the 304 (412) the client's conditional headers ask for."""
    if not cached.has_header("ETag"):
        return cached
    answer = get_conditional_response(request, etag=cached["ETag"], response=cached)
    if answer is cached:
        return cached
    # As the stack would send it: the stored headers, without those of a body.
    for header, value in cached.items():
        if header.lower() not in BODY_HEADERS:
            answer[header] = value
    if "Content-Type" in answer and answer.status_code == 304:
        del answer["Content-Type"]
    answer["Content-Length"] = str(len(answer.content))
    return answer


class AnonymousPageCacheMiddleware:
    """First in MIDDLEWARE: serve anonymous page views from the cache, store those that may be
    stored, and give every response its Cache-Control."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_share(request):
            response = self.get_response(request)
            cache_control_for(request, response, shareable=False)
            return response
        key = None
        if settings.PAGE_CACHE_SECONDS > 0:
            generation = recent_generation(settings.PAGE_CACHE_GENERATION_SECONDS)
            # The rest of the request (the site lookup, the API's ETags) keys by the same one.
            request.content_generation = generation
            key = _cache_key(request, generation)
        cached = cache_get(key) if key is not None else None
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return _conditional(request, cached)
        response = self.get_response(request)
        shareable = _may_store_final(request, response)
        # With this cache off, a cache in front (Varnish) may still keep what it would keep.
        cache_control_for(request, response, shareable=shareable)
        if shareable and key is not None:
            cache_set(key, response, settings.PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        return response


def serve_hits_first(application):
    """Wrap the site's WSGI application so that a page-cache hit skips Django's handler too.

    The same hit as :class:`AnonymousPageCacheMiddleware` gives (same checks, key and
    response), without the request signals and the middleware chain around it, which cost
    about as much again as the hit itself. Anything else, or anything that goes wrong here,
    is Django's as before; so are the addresses whose answers vary by Origin (CORS: never
    stored).
    """
    never_stored = re.compile(getattr(settings, "CORS_URLS_REGEX", r"^$"))

    def serve(environ, start_response):
        response = None
        if not never_stored.match(environ.get("PATH_INFO", "")):
            try:
                response = _hit_for(WSGIRequest(environ))
            except Exception:  # Django's handler answers whatever we could not
                logger.debug("Page cache fast path failed; handing over", exc_info=True)
        if response is None:
            return application(environ, start_response)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]

    return serve


def _hit_for(request):
    """The cached answer to this request, or None."""
    if settings.PAGE_CACHE_SECONDS <= 0 or not _may_share(request):
        return None
    key = _cache_key(request, recent_generation(settings.PAGE_CACHE_GENERATION_SECONDS))
    cached = cache_get(key) if key is not None else None
    if cached is None:
        return None
    cached[CACHE_HEADER] = "hit"
    return _conditional(request, cached)


class PageCacheGateMiddleware:
    """Last before the views: note whether the view's own response may be shared."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _may_share(request):
            setattr(response, STORABLE, _may_store(request, response))
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


# --- Front-end cache (Varnish, a CDN) -----------------------------------------------------------


def purge_pages_that_show(sender, instance, **kwargs) -> None:
    """On publish and unpublish, purge the pages that show this one besides its own addresses
    (``wagtail.contrib.frontend_cache`` purges those): the parent lists its children (tips in
    the overview and its feed, activities in the calendar, its feed and iCalendar), and every
    translation names it in its language switcher. A tip of a tips library shows on every
    municipality's tips page that includes the library, and at its address there. Once
    committed, so that a visitor's request between the purge and the commit cannot put the old
    page back."""
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache

    from buddypages.models import LanguageTipIndexPage

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    parent = instance.get_parent()
    parent = None if parent is None or parent.is_root() else parent.specific_deferred
    pages = [] if parent is None else [parent]
    pages += list(instance.get_translations().live().specific(defer=True))
    addresses = []
    if isinstance(parent, LanguageTipIndexPage):
        for overview in parent.showing_this_library():
            pages.append(overview)
            addresses.append(overview.library_tip_address(instance))
    addresses = [address for address in addresses if address]
    if pages:
        transaction.on_commit(lambda: purge_pages_from_cache(pages))
    if addresses:
        transaction.on_commit(lambda: purge_urls_from_cache(addresses))


def connect_purge_receivers() -> None:
    from wagtail.signals import page_published, page_unpublished

    for signal in (page_published, page_unpublished):
        signal.connect(purge_pages_that_show, dispatch_uid=f"buddysite-purge-{id(signal)}")
