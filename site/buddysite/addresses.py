"""How the site reads a request's address before any view does.

Django's LocaleMiddleware without its language redirect for API and admin addresses. (Control
characters in query strings: ``buddypages.core.queries.QueryStringMiddleware``.)
"""

from __future__ import annotations

from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
# Not redirected to a language prefix: the API, and the admin (a record another
# municipality's coordinator may not see is "not found", not a redirect to a page).
UNPREFIXED = (API_PREFIX, "/admin/")


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except that nothing under ``/api/`` or ``/admin/`` is redirected to a
    language prefix.

    Django answers a 404 outside ``i18n_patterns`` with a redirect to
    ``/<language>/<path>`` when that address exists, and Wagtail's catch-all page
    route makes every address exist: every API 404 became a redirect to an HTML
    page. API clients get the API's JSON answer instead, and the admin its own 404.
    """

    def process_response(self, request, response):
        if not request.path_info.startswith(UNPREFIXED):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
