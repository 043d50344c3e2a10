"""The search backend: Wagtail's database backend, taking any text a visitor types.

The search page, the API's ``?search=`` and the admin hand typed text to the
backend. Wagtail's SQLite backend puts each word between double quotes without
escaping them (a ``"`` ends in "unterminated string"), PostgreSQL's driver refuses
NUL, and a few thousand words nest the query deeper than Python's recursion
limit. Every query is cleaned here first, whichever database runs the search.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "buddypages.core.search"}}``
(the plugin's API cleans its own ``?search=`` with :func:`clean_text` whatever the backend).
"""

from __future__ import annotations

import copy
import re

from wagtail.search.backends import database
from wagtail.search.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

MAX_CHARACTERS = 200
MAX_WORDS = 32
# Double quotes, control characters and lone surrogates: they mean nothing to a
# full-text search and break one database or the other.
UNSAFE = re.compile('["\x00-\x1f\x7f\ud800-\udfff]')


def clean_text(text: str) -> str:
    """At most MAX_WORDS words of the first MAX_CHARACTERS characters, without unsafe ones."""
    return " ".join(UNSAFE.sub(" ", text[:MAX_CHARACTERS]).split()[:MAX_WORDS])


def clean_query(query):
    """``query`` (text, or a query object such as the admin builds) with its text cleaned."""
    if isinstance(query, str):
        return clean_text(query)
    cleaned = copy.copy(query)
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        cleaned.query_string = clean_text(query.query_string)
    elif isinstance(query, (And, Or)):
        cleaned.subqueries = [clean_query(subquery) for subquery in query.subqueries]
    elif isinstance(query, (Not, Boost)):
        cleaned.subquery = clean_query(query.subquery)
    return cleaned


def is_empty(query) -> bool:
    return query == "" or (isinstance(query, (PlainText, Phrase, Fuzzy)) and not query.query_string)


class CleanQueryMixin:
    """Cleans the query before the backend compiles it; nothing left finds nothing."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = clean_query(query)
        if is_empty(query):
            query = ""  # the base class answers "" with empty results
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


_classes: dict[type, type] = {}


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    """Wagtail's database backend for the database in use, with CleanQueryMixin."""
    backend = database.SearchBackend(params)
    base = type(backend)
    if base not in _classes:
        _classes[base] = type(f"Clean{base.__name__}", (CleanQueryMixin, base), {})
    backend.__class__ = _classes[base]
    return backend
