"""What every request to ``/api/v3/`` goes through before Django Ninja sees it.

- Query strings lose their control characters (whatever the host's middleware).
- The language of messages: ``?locale=`` when it names a language of the site, else the
  ``Accept-Language`` header. Content is chosen by ``?locale=`` alone, so a cached read never
  depends on a header.
- Conditional reads: an anonymous ``GET`` gets an ``ETag`` made of the content generation
  (:mod:`buddypages.core.generation`), the day, the host and the full path, and ``304 Not
  Modified`` when it sends that ETag back, without running the view. Publishing anything, or a
  sign-up that changes the places left, moves the generation; the day moves "tip of the week"
  and "from today". Requests with an ``Authorization`` header (Wagtail's token reads, which may
  include drafts) are never shared.
"""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.urls import URLPattern, re_path
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from buddypages.api.v3.errors import FIELD_MESSAGES, field_error, invalid, problem
from buddypages.core.generation import request_generation
from buddypages.core.queries import clean_request_query

READ_MAX_AGE = 60
# The largest whole number SQLite and PostgreSQL store.
MAX_INTEGER = 2**63 - 1
# See buddypages/api/v3/unprefixed_urls.py: no language or slash redirect of a 404.
UNPREFIXED = "buddypages.api.v3.unprefixed_urls"


def language_for(request) -> str:
    """The language answers and messages are written in."""
    asked = request.GET.get("locale", "")
    known = {code for code, _name in settings.LANGUAGES}
    if asked in known:
        return asked
    return translation.get_language_from_request(request)


def _etag(request) -> str:
    raw = "|".join(
        (
            str(request_generation(request)),
            timezone.localdate().isoformat(),
            request.get_host(),
            request.get_full_path(),
        )
    )
    return f'W/"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'


def _conditional(request) -> bool:
    return request.method in ("GET", "HEAD") and "authorization" not in request.headers


def _matches(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return sent.strip() == "*" or etag in [tag.strip() for tag in sent.split(",")]


def _read_headers(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={READ_MAX_AGE}"
    patch_vary_headers(response, ("Accept-Language",))


def _numbers_too_large(request, kwargs) -> list[dict]:
    """Whole numbers no database column holds, in the query or the path: one 422 entry each.

    Wagtail's own operations (``/pages/?offset=``, ``/pages/{id}/``) hand them to the database
    as they are, and SQLite refuses them with a server error.
    """
    entries = []
    for source, items in (("query", request.GET.items()), ("path", kwargs.items())):
        for name, value in items:
            text = str(value).strip().lstrip("+-")
            if text.isdigit() and (len(text) > 19 or int(text) > MAX_INTEGER):
                entries.append(field_error([source, name], FIELD_MESSAGES["less_than_equal"]))
    return entries


def api_view(view):
    """Wrap one of Django Ninja's views with the behaviour described above."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        clean_request_query(request)
        conditional = _conditional(request)
        if conditional:
            etag = _etag(request)
            if _matches(request, etag):
                response = HttpResponseNotModified()
                _read_headers(response, etag)
                return response
        with translation.override(language_for(request)):
            too_large = _numbers_too_large(request, kwargs)
            response = invalid(too_large) if too_large else view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").endswith(
                "json"
            ):
                allowed = response.get("Allow", "")
                response = problem(405, _("This address does not take this method."))
                response["Allow"] = allowed
            response.setdefault("Content-Language", translation.get_language())
        if response.status_code == 404:
            request.urlconf = UNPREFIXED
        if conditional and response.status_code == 200 and not response.has_header("Cache-Control"):
            _read_headers(response, etag)
        return response

    return wrapped


def not_found(request, rest=""):
    """Any other address under the API: a 404 problem, never the host's HTML page."""
    request.urlconf = UNPREFIXED
    with translation.override(language_for(request)):
        return problem(404, _("Nothing was found at this address."))


def wrap_patterns(patterns: list) -> list:
    wrapped = [
        URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ]
    return [*wrapped, re_path(r"^(?P<rest>.*)$", not_found)]
