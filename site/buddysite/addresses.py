"""How the site reads a request's address before any view does.

Two middlewares: one takes control characters out of query strings, the other is
Django's LocaleMiddleware without its language redirect for API addresses.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import QueryDict
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"
# NUL and the other C0 control characters, DEL, and lone surrogates: no visitor
# types them, PostgreSQL's driver refuses NUL, SQLite's full-text search stops at it.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
SPACES = frozenset("\t\n\r")


def clean_text(text: str) -> str:
    """``text`` without control characters; tabs and line breaks become spaces."""
    return CONTROL_CHARACTERS.sub(lambda found: " " if found[0] in SPACES else "", text)


class QueryStringMiddleware:
    """Take control characters out of every query parameter's name and value.

    A search for ``%00abc`` searches ``abc``, as a visitor would expect, and no
    view, filter or API endpoint ever sees a NUL byte. Everything else (bidi
    marks, quotes, long or broken values) is left to the views, which must
    answer it with a page or a 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and any(
            CONTROL_CHARACTERS.search(text)
            for key, values in request.GET.lists()
            for text in (key, *values)
        ):
            query_string = urlencode(
                [
                    (clean_text(key), clean_text(value))
                    for key, values in request.GET.lists()
                    for value in values
                ]
            )
            # get_full_path() (cache keys, redirects, pagination links) agrees with GET.
            request.META["QUERY_STRING"] = query_string
            request.GET = QueryDict(query_string, encoding=request.encoding)
        return self.get_response(request)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except that nothing under ``/api/`` is redirected to a language prefix.

    Django answers a 404 outside ``i18n_patterns`` with a redirect to
    ``/<language>/<path>`` when that address exists, and Wagtail's catch-all page
    route makes every address exist: every API 404 became a redirect to an HTML
    page. API clients get the API's JSON answer instead.
    """

    def process_response(self, request, response):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
