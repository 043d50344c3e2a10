"""The waiting-room screen and the slides it fetches to refresh itself.

Both read one parameter, ``langs`` (``?langs=nl,ar,ti,uk``): the languages the screen shows in
turn. It is checked before anything else, so the page cache may keep each answer under its
full address: a spelling that means the same (spaces, capitals, a language twice, a parameter
the screen does not read) is redirected to the one address, a language the site does not have
gets a page that says so, and only the one address is answered (and stored) with the screen.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.models import Site

from buddypages.core.qr import qr_svg
from buddypages.core.queries import clean_request_query, clean_text
from buddypages.screen.selectors import screen_content

PARAMETER = "langs"
# Each language adds two slides; more than this would take minutes to come round again.
MAX_LANGUAGES = 6
# How long each slide stays, and how often the screen asks for new content (seconds).
SLIDE_SECONDS = 10
REFRESH_SECONDS = 300
# A shown unknown code is cut to this length: the message is for a person, not an echo.
SHOWN_CHARACTERS = 12
FIXED_SIZE = re.compile(r'^<svg width="(\d+)" height="(\d+)"')
ASSETS = ("buddypages/screen/screen.js", "buddypages/screen/screen.css", "buddypages/css/fonts.css")


@dataclass
class LanguageChoice:
    """What ``?langs=`` asked for, checked."""

    codes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    too_many: bool = False
    canonical_query: str = ""  # the one spelling answered with the screen ("" for none)

    @property
    def valid(self) -> bool:
        return not self.unknown and not self.too_many


def site_language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def parse_languages(request) -> LanguageChoice:
    """Read ``?langs=`` (any other parameter is ignored and left out of the canonical query)."""
    known = site_language_codes()
    choice = LanguageChoice()
    raw = ",".join(request.GET.getlist(PARAMETER))
    for item in raw.split(","):
        code = clean_text(item).strip().lower().replace("_", "-")
        if not code or code in choice.codes:
            continue
        if code in known:
            choice.codes.append(code)
        elif len(choice.unknown) < 5:
            choice.unknown.append(code[:SHOWN_CHARACTERS])
    if len(choice.codes) > MAX_LANGUAGES:
        choice.too_many = True
    if choice.codes:
        choice.canonical_query = f"{PARAMETER}={','.join(choice.codes)}"
    return choice


def assets_version() -> str:
    """Changes when the screen's script or style sheet changes (with hashed static names):
    a screen that sees another version in fresh slides loads itself again."""
    return hashlib.sha256("|".join(static(name) for name in ASSETS).encode()).hexdigest()[:12]


def _checked(request):
    """(choice, None) when the address is the canonical one; else (choice, an answer)."""
    clean_request_query(request)
    choice = parse_languages(request)
    if not choice.valid:
        return choice, _invalid_response(request, choice)
    if request.META.get("QUERY_STRING", "") != choice.canonical_query:
        query = f"?{choice.canonical_query}" if choice.canonical_query else ""
        return choice, HttpResponseRedirect(request.path + query)
    return choice, None


def _invalid_response(request, choice: LanguageChoice) -> TemplateResponse:
    valid_query = f"?{PARAMETER}={','.join(choice.codes[:MAX_LANGUAGES])}" if choice.codes else ""
    return TemplateResponse(
        request,
        "buddypages/screen/invalid.html",
        {
            "choice": choice,
            "max_languages": MAX_LANGUAGES,
            "available": site_language_codes(),
            "valid_url": request.path + valid_query,
        },
        status=400,
    )


def _scalable_qr(url: str, *, title: str) -> str:
    """The QR code as inline SVG that CSS can size: a viewBox instead of a fixed size."""
    svg = qr_svg(url, title=title, scale=1)
    return mark_safe(FIXED_SIZE.sub(r'<svg viewBox="0 0 \1 \2" role="img"', svg, count=1))  # noqa: S308 (segno escapes the title)


def _context(request, choice: LanguageChoice) -> dict:
    codes = choice.codes or [translation.get_language()]
    query = f"?{choice.canonical_query}" if choice.canonical_query else ""
    slides_url = reverse("buddypages:screen-slides") + query
    screens = screen_content(
        site=Site.find_for_request(request), codes=codes, request=request, now=timezone.now()
    )
    for screen in screens:
        with translation.override(screen.code):
            screen.qr_svg = _scalable_qr(
                screen.signup_url, title=gettext("QR code of the sign-up page")
            )
        screen.signup_address = unquote(screen.signup_url.split("://", 1)[-1]).rstrip("/")
    return {
        "screens": screens,
        "slide_seconds": SLIDE_SECONDS,
        "refresh_seconds": REFRESH_SECONDS,
        "version": assets_version(),
        "slides_url": slides_url,
    }


def _finish(response, choice: LanguageChoice):
    # The query string was checked above: the one spelling of a bounded set of languages.
    response.cache_with_query = bool(choice.canonical_query)
    response["Cache-Control"] = "max-age=0"
    return response


def screen_view(request) -> HttpResponse:
    """The whole screen: every slide, the script that turns them and fetches new ones."""
    choice, answered = _checked(request)
    if answered is not None:
        return answered
    response = TemplateResponse(request, "buddypages/screen/screen.html", _context(request, choice))
    return _finish(response, choice)


def screen_slides_view(request) -> HttpResponse:
    """The slides alone (an HTML fragment), fetched by the screen every few minutes."""
    choice, answered = _checked(request)
    if answered is not None:
        return answered
    response = TemplateResponse(request, "buddypages/screen/slides.html", _context(request, choice))
    return _finish(response, choice)
