"""Wagtail's page view, with the route to each of the plugin's pages remembered.

Wagtail finds the page for an address on every view: the active locale, the translated
home page, one query per level of the tree, the specific page, then its privacy rules
(two more queries). For the plugin's pages the answer changes only when the content
generation moves (a publish, a move, a privacy or site change), so it is remembered per
site, language and address (:func:`buddypages.core.memo.remembered`), privacy rules included.

Use these URLs in place of ``wagtail.urls``, inside ``i18n_patterns``::

    path("", include("buddypages.pages.routing")),

Pages of other types are routed by Wagtail as before (their ``route()`` may read the request).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import re_path
from django.utils import translation
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from buddypages.core.memo import remembered
from buddypages.pages.mixins import LanguageConsistentPageMixin

# Longer addresses are routed without the cache (bounded keys; no page is that deep).
MAX_CACHED_PATH = 300


def serve(request, path: str):
    """``wagtail.views.serve`` with the route found through :func:`remembered_route`."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = remembered_route(request, path)
    return wagtail_views.serve(request, path)


def remembered_route(request, path: str):
    """Wagtail's ``RouteResult`` for ``path``, or ``None`` (not found)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    if len(path) > MAX_CACHED_PATH:
        return Page.route_for_request(request, path)
    language = translation.get_language() or ""
    key = f"route:{site.pk}:{language}:{'/'.join(components)}"
    found = remembered(request, key, lambda: _routed_page(request, site, path))
    if found is None:
        return Page.route_for_request(request, path)
    page, consumed = found
    # The rest of the address is the page's own (a routable page's sub-page, e.g. ical/):
    # resolving it costs no query, and sets what RoutablePageMixin leaves on the request.
    try:
        return page.route(request, components[consumed:])
    except Http404:
        return None


def _routed_page(request, site: Site, path: str):
    """(page, path components it takes) for a plugin page; ``None``: not to remember."""
    result = Page.route_for_request(request, path)
    if result is None or not isinstance(result[0], LanguageConsistentPageMixin):
        return None
    page = result[0]
    page.remember_view_restrictions()
    return page, page.depth - site.root_page.depth


urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
