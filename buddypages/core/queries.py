"""Query strings as people and robots send them: control characters taken out.

NUL and the other C0 control characters, DEL, and lone surrogates: no visitor types them,
PostgreSQL's driver refuses NUL, SQLite's full-text search stops at it. The plugin's own
views and API clean their request with :func:`clean_request_query`; a host may run
:class:`QueryStringMiddleware` so that no view of its own ever sees them either.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import QueryDict

CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
SPACES = frozenset("\t\n\r")


def clean_text(text: str) -> str:
    """``text`` without control characters; tabs and line breaks become spaces."""
    return CONTROL_CHARACTERS.sub(lambda found: " " if found[0] in SPACES else "", text)


def clean_request_query(request) -> None:
    """Take control characters out of every query parameter's name and value, in place.

    A search for ``%00abc`` searches ``abc``, as a visitor would expect. Everything else
    (bidi marks, quotes, long or broken values) is left to the views, which must answer it
    with a page or a 400.
    """
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


class QueryStringMiddleware:
    """:func:`clean_request_query` for every request of the site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clean_request_query(request)
        return self.get_response(request)
