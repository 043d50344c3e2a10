"""Purging a page's API addresses from a front-end cache (Varnish, a CDN).

``wagtail.contrib.frontend_cache`` purges a page's own addresses when it is published or
unpublished. The API answers about the page at other addresses: its detail in Wagtail's v3
pages API and the plugin's lists that may include it (tips, activities, ...), with and without
``?locale=``. These are purged too, through the same backends (``WAGTAILFRONTENDCACHE``), when
one of the plugin's pages is published, unpublished, moved or deleted.

Other query strings (``?limit=``, ``?level=``) cannot all be listed: a cache in front of the
API should keep them briefly (the API's own ``max-age`` is one minute) or purge by prefix.
"""

from __future__ import annotations

import functools
import posixpath

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

# The plugin's lists that may include a page of each type, by the start of their path
# below the API's prefix. A type not named here: every list of the plugin.
LISTS_BY_TYPE = {
    "buddypages.HomePage": ("navigation",),
    "buddypages.ProgrammePage": ("programmes", "navigation"),
    "buddypages.LanguageTipIndexPage": ("tips",),
    "buddypages.LanguageTipPage": ("tips",),
    "buddypages.ActivityCalendarPage": ("activities", "occurrences", "calendar"),
    "buddypages.ActivityPage": ("activities", "occurrences", "calendar"),
    "buddypages.RegistrationPage": ("forms", "programmes"),
    "newsletter.NewsletterIndexPage": ("newsletter",),
    "newsletter.NewsletterIssuePage": ("newsletter",),
}


def enabled() -> bool:
    """The host installed the purger and configured a cache for it."""
    configured = getattr(settings, "WAGTAILFRONTENDCACHE", None) or getattr(
        settings, "WAGTAILFRONTENDCACHE_LOCATION", None
    )
    return bool(configured) and apps.is_installed("wagtail.contrib.frontend_cache")


@functools.cache
def plugin_list_paths() -> tuple[str, ...]:
    """The API's own GET addresses without parameters in the path ("tips/", ...), not
    Wagtail's (pages, images, ...)."""
    from buddypages.api.v3.api import get_api

    paths = []
    for prefix, router in get_api()._routers:
        for path, view in router.path_operations.items():
            if "{" in path:
                continue
            for operation in view.operations:
                module = getattr(operation.view_func, "__module__", "") or ""
                if "GET" in operation.methods and not module.startswith("wagtail."):
                    joined = posixpath.join(prefix.strip("/"), path.strip("/"))
                    paths.append(joined.strip("/") + "/")
    return tuple(dict.fromkeys(paths))


def _api_root() -> str | None:
    try:
        return reverse("wagtailapi_v3:list_pages")[: -len("pages/")]
    except NoReverseMatch:
        return None


def page_api_urls(page, site, *, path: str | None = None) -> list[str]:
    """The absolute API addresses that answer about ``page`` on ``site``."""
    root = _api_root()
    if root is None:
        return []
    base = site.root_url + root
    label = (page.specific_class or type(page))._meta.label
    language = page.locale.language_code
    urls = [
        f"{base}pages/{page.pk}/",
        f"{base}pages/",
        f"{base}pages/?{urlencode({'type': label})}",
        f"{base}pages/?{urlencode({'locale': language})}",
    ]
    if path:
        urls.append(f"{base}pages/find/?{urlencode({'html_path': path})}")
    starts = LISTS_BY_TYPE.get(label)
    for list_path in plugin_list_paths():
        if starts is None or list_path.startswith(starts):
            urls += [f"{base}{list_path}", f"{base}{list_path}?{urlencode({'locale': language})}"]
    return urls


def purge_urls(urls: list[str]) -> None:
    """Purge addresses from the configured front-end caches (none configured: nothing)."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)
