"""Hostile bytes in query strings never cause a server error.

Every public address (pages in Dutch and Arabic, their sub-pages, the iCal and Atom feeds, the
links from emails, the health check and every API endpoint) gets each query parameter it
reads, plus made-up ones, set to each value below, one at a time, the others kept valid.
The query string is written by hand: Django's test client would encode it, and a browser
or a script sends these bytes as they are. Under ``/api/`` the answer must also be JSON
(or a redirect to another API address), never an HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

# (what it is, how it travels in the query string)
HOSTILE_VALUES = [
    ("NUL", "%00"),
    ("NUL inside a word", "a%00b"),
    ("C0 control characters", "%01%1B%7F%0D%0A"),
    ("a lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("a raw byte that is not UTF-8", "\xff"),
    ("bidi overrides", quote("\u202e\u2066")),
    ("10,000 characters", quote("tip " * 2500)),
    ("a quote", "%27"),
    ("a double quote", "%22"),
    ("a percent sign", "%25"),
    ("a broken percent escape", "%zz"),
    ("a star", "*"),
    ("minus one", "-1"),
    ("a huge number", "99999999999999999999"),
]
MADE_UP = ["x", "%00%FF"]
# JSON, and JSON problem details (RFC 9457) from the API v3.
JSON_TYPES = {"application/json", "application/problem+json"}


@dataclass
class Address:
    """A public address, a valid query (kept while one parameter is hostile) and what it reads."""

    path: str
    params: list[str] = field(default_factory=list)
    base: dict[str, str] = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def query_strings(self):
        """(parameter, value's name, query string): each parameter the view reads in turn,
        then the made-up ones together, each time with every hostile value."""
        for params in [*([param] for param in self.params), MADE_UP]:
            kept = [
                f"{key}={quote(value)}" for key, value in self.base.items() if key not in params
            ]
            for name, value in HOSTILE_VALUES:
                hostile = [f"{param}={value}" for param in params]
                yield "&".join(params), name, "&".join([*kept, *hostile])


def in_language(model, language: str, **filters):
    return model.objects.live().filter(locale__language_code=language, **filters)


def page_addresses(language: str, demo) -> dict[str, Address]:
    from buddypages.duos.models import Duo
    from buddypages.duos.tokens import duo_link_token
    from buddypages.models import (
        ActivityCalendarPage,
        ActivityPage,
        LanguageTipIndexPage,
        LanguageTipPage,
        ProgrammePage,
        RegistrationPage,
    )
    from buddypages.registry.tokens import newsletter_confirm_token
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
    from newsletter.tokens import unsubscribe_token
    from tests.buddypages.registry.helpers import participant

    tip = in_language(LanguageTipPage, language).exclude(theme=None).first()
    calendar = in_language(ActivityCalendarPage, language).get()
    activity = in_language(ActivityPage, language, capacity__isnull=False).first()
    signup = activity.signups.first()
    registration = in_language(RegistrationPage, language).first()
    archive = in_language(NewsletterIndexPage, language).get()
    reader = participant(
        demo.programme,
        email=f"reader-{language}@example.net",
        preferred_language=language,
        newsletter_status="pending",
    )
    duo = Duo.objects.order_by("pk").first()
    addresses = {
        "home": Address(f"/{language}/"),
        "no such page": Address(f"/{language}/does-not-exist/"),
        "programme": Address(in_language(ProgrammePage, language).first().url),
        "programme poster": Address(
            f"{in_language(ProgrammePage, language).first().url}poster.pdf",
            ["langs"],
            {"langs": f"nl,{language}" if language != "nl" else "nl"},
        ),
        "programme flyer": Address(
            f"{in_language(ProgrammePage, language).first().url}flyer.pdf", ["langs"]
        ),
        "tips index": Address(
            in_language(LanguageTipIndexPage, language).get().url,
            ["level", "theme", "page"],
            {"level": tip.level, "theme": tip.theme.key, "page": "1"},
        ),
        "tips feed": Address(f"{in_language(LanguageTipIndexPage, language).get().url}feed/"),
        "tip": Address(tip.url),
        "calendar": Address(
            calendar.url,
            ["view", "kind", "audience", "month"],
            {"view": "month", "kind": activity.kind, "audience": activity.audience},
        ),
        "calendar iCal": Address(f"{calendar.url}ical/"),
        "calendar feed": Address(f"{calendar.url}feed/"),
        "activity": Address(activity.url),
        "activity iCal": Address(f"{activity.url}ical/"),
        "activity sign-up": Address(f"{activity.url}signup/"),
        "registration": Address(registration.url),
        "registration thanks": Address(f"{registration.url}thanks/"),
        "search": Address(f"/{language}/search/", ["q", "page"], {"q": "buddy", "page": "1"}),
        "newsletter archive": Address(archive.url),
        "newsletter subscribe": Address(f"{archive.url}subscribe/"),
        "newsletter subscribe thanks": Address(f"{archive.url}subscribe/thanks/"),
        "newsletter issue": Address(in_language(NewsletterIssuePage, language).first().url),
        "newsletter unsubscribe": Address(
            f"/{language}/newsletter/unsubscribe/{unsubscribe_token(reader.pk, reader.email)}/",
            ["done"],
        ),
        "newsletter confirm": Address(
            f"/{language}/newsletter/confirm/{newsletter_confirm_token(reader)}/"
        ),
        "duo log": Address(f"/{language}/duo/{duo_link_token(duo, 'newcomer')}/", ["done"]),
        "embed sign-up": Address(
            f"/{language}/embed/signup/{registration.get_parent().slug}/{registration.role}/",
            ["origin"],
        ),
        "embed sign-up thanks": Address(
            f"/{language}/embed/signup/{registration.get_parent().slug}/{registration.role}/"
            "thanks/",
            ["origin"],
        ),
        "embed calendar": Address(
            f"/{language}/embed/calendar/",
            ["origin", "kind", "audience"],
            {"kind": activity.kind, "audience": activity.audience},
        ),
        "embed tip": Address(f"/{language}/embed/tip/", ["origin"]),
        "screen": Address(f"/{language}/screen/", ["langs"], {"langs": "nl,ar,ti"}),
        "screen slides": Address(f"/{language}/screen/slides/", ["langs"], {"langs": "nl,ar"}),
    }
    if signup is not None:
        addresses["activity cancel"] = Address(f"{activity.url}cancel/{signup.token}/")
    return addresses


PAGE_PARAMS = [
    "search",
    "search_operator",
    "locale",
    "type",
    "fields",
    "order",
    "limit",
    "offset",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
    "site",
    "format",
    "rich_text_format",
    "theme_key",
    "title",
    "slug",
    "id",
]
# Listings of two items: the hostile value is what is tested, not serialising twenty pages.
SHORT = {"limit": "2"}
MEDIA_PARAMS = ["search", "search_operator", "fields", "order", "limit", "offset", "title", "tags"]


def api_addresses(demo) -> dict[str, Address]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    programme = demo.programme
    image = get_image_model().objects.order_by("pk").first()
    document = get_document_model().objects.order_by("pk").first()
    today = timezone.localdate()
    addresses = {
        "API pages": Address("/api/v2/pages/", PAGE_PARAMS, SHORT),
        "API pages, tips by level and theme": Address(
            "/api/v2/pages/",
            ["level", "theme_key", "phrase", "theme", "search"],
            {"type": "buddypages.LanguageTipPage", "level": "A1", "locale": "ar", **SHORT},
        ),
        "API pages, activities by field": Address(
            "/api/v2/pages/",
            ["kind", "audience", "start", "all_day", "price", "capacity", "repeat_until"],
            {"type": "buddypages.ActivityPage", "kind": "buddy_cafe", **SHORT},
        ),
        "API pages, programmes by field": Address(
            "/api/v2/pages/",
            ["duration_months", "meetings_per_month"],
            {"type": "buddypages.ProgrammePage", **SHORT},
        ),
        "API page": Address(f"/api/v2/pages/{programme.pk}/", ["fields", "type", "format"]),
        "API page that does not exist": Address("/api/v2/pages/99999999/", ["fields"]),
        "API pages find": Address(
            "/api/v2/pages/find/",
            ["html_path", "id", "fields", "type", "locale"],
            {"html_path": "/ar/buddywerking/"},
        ),
        "API images": Address("/api/v2/images/", MEDIA_PARAMS, SHORT),
        "API documents": Address("/api/v2/documents/", MEDIA_PARAMS, SHORT),
        "API images find": Address("/api/v2/images/find/", ["id"]),
        "API documents find": Address("/api/v2/documents/find/", ["id"]),
        "API occurrences": Address(
            "/api/v2/occurrences/",
            ["start", "end", "locale", "kind", "audience", "format"],
            {
                "start": today.isoformat(),
                "end": (today + timedelta(days=60)).isoformat(),
                "locale": "ar",
            },
        ),
        "API, no such endpoint": Address("/api/v2/nothing/"),
    }
    if image is not None:
        addresses["API image"] = Address(f"/api/v2/images/{image.pk}/", ["fields"])
    if document is not None:
        addresses["API document"] = Address(f"/api/v2/documents/{document.pk}/", ["fields"])
    return addresses


def api_v3_addresses(demo) -> dict[str, Address]:
    from buddypages.models import ActivityPage, RegistrationPage

    activity = ActivityPage.objects.live().filter(capacity__isnull=False).first()
    registration = RegistrationPage.objects.live().first()
    today = timezone.localdate()
    listing = ["site", "locale", "limit", "offset"]
    return {
        "API v3 tips": Address(
            "/api/v3/tips/",
            [*listing, "level", "theme"],
            {"locale": "ar", "level": "A1", **SHORT},
        ),
        "API v3 tip of the week": Address(
            "/api/v3/tips/of-the-week/", ["locale", "site"], {"locale": "ar"}
        ),
        "API v3 programmes": Address("/api/v3/programmes/", listing, SHORT),
        "API v3 programme": Address(f"/api/v3/programmes/{demo.programme.pk}/", ["site"]),
        "API v3 activities": Address("/api/v3/activities/", [*listing, "kind", "audience"], SHORT),
        "API v3 activity": Address(f"/api/v3/activities/{activity.pk}/", ["site"]),
        "API v3 occurrences": Address(
            "/api/v3/occurrences/",
            [*listing, "kind", "audience", "start", "end"],
            {
                "start": today.isoformat(),
                "end": (today + timedelta(days=60)).isoformat(),
                "locale": "ar",
                **SHORT,
            },
        ),
        "API v3 navigation": Address("/api/v3/navigation/", ["site", "locale"], {"locale": "ar"}),
        "API v3 find": Address("/api/v3/find/", ["site", "path"], {"path": "/ar/buddywerking/"}),
        "API v3 forms": Address("/api/v3/forms/", listing, SHORT),
        "API v3 form": Address(f"/api/v3/forms/{registration.pk}/", ["site"]),
        "API v3 activity form": Address(f"/api/v3/forms/activities/{activity.pk}/", ["site"]),
        "API v3 form token": Address("/api/v3/forms/token/"),
        "API v3 newsletter issues": Address("/api/v3/newsletter/issues/", listing, SHORT),
        "API v3 newsletter form": Address("/api/v3/newsletter/form/", ["locale"]),
        "API v3 preview": Address("/api/v3/preview/", ["token"], {"token": "x"}),
        "API v3 pages (Wagtail's)": Address(
            "/api/v3/pages/", ["type", "locale", "search", "limit", "offset", "child_of"], SHORT
        ),
        "API v3 document": Address("/api/v3/openapi.json"),
        "API v3, no such endpoint": Address("/api/v3/nothing/"),
    }


def other_addresses() -> dict[str, Address]:
    return {"health check": Address("/healthz"), "favicon": Address("/favicon.ico")}


def problems_at(address: Address, *, headers: dict | None = None) -> list[str]:
    """What went wrong for each hostile query at one address, as lines of a report."""
    client = Client(raise_request_exception=False, headers=headers or {})
    found = []
    for param, name, query in address.query_strings():
        response = client.get(address.path, QUERY_STRING=query)
        status = response.status_code
        problem = None
        if status >= 500:
            error = getattr(response, "exc_info", None)
            problem = f"status {status}" + (f": {error[1]!r}"[:300] if error else "")
        elif address.is_api and status in (301, 302, 307, 308):
            if not urlsplit(response["Location"]).path.startswith("/api/"):
                problem = f"redirected to {response['Location']}"
        elif address.is_api and response["Content-Type"].split(";")[0] not in JSON_TYPES:
            problem = f"status {status} with {response['Content-Type']}, not JSON"
        if problem:
            found.append(f"{address.path} {param}={name} ({query[:60]!r}): {problem}")
    return found


def report(problems: list[str]) -> str:
    return f"{len(problems)} hostile queries went wrong:\n" + "\n".join(problems[:100])


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_no_public_page_fails_on_a_hostile_query(demo, language):
    problems = []
    for address in page_addresses(language, demo).values():
        problems += problems_at(address, headers={"accept-language": language})
    assert not problems, report(problems)


def test_no_api_endpoint_fails_on_a_hostile_query(demo):
    problems = []
    for address in {**api_addresses(demo), **other_addresses()}.values():
        problems += problems_at(address)
    assert not problems, report(problems)


def test_no_api_v3_endpoint_fails_on_a_hostile_query(demo):
    problems = []
    for address in api_v3_addresses(demo).values():
        problems += problems_at(address)
    assert not problems, report(problems)
