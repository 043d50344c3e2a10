"""Every public page type, in Dutch and in Arabic, passes the Nu HTML Checker with no error.

The pages are fetched with Django's test client on the demo content, written to files and
checked in one run of the checker (vnu, the W3C validator: its Java VM takes seconds to start).
Without Java or the checker's jar (``make install-dev`` fetches it) the test is skipped, unless
``HTML_CHECKER_REQUIRED=1`` (CI), which makes it fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django.views import defaults

from tests.buddypages.registry.helpers import form_data, participant, started_a_minute_ago

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_JAR = ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"  # where the Makefile puts it
LANGUAGES = ("nl", "ar")
# A page with known errors, checked with the others: proves the checker ran and is read right.
CANARY = "canary (a page with two known errors)"
CANARY_HTML = (
    b'<!DOCTYPE html><html lang="en"><head><title>Canary</title></head><body><h1>Canary</h1>'
    b'<form action=""></form><h3>Skipped</h3></body></html>'
)


def checker_command() -> list[str]:
    """``java -jar vnu.jar``, or a skip (a failure with HTML_CHECKER_REQUIRED=1)."""
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    jar = jar if jar.is_absolute() else ROOT / jar
    java = shutil.which("java")
    missing = [name for name, found in (("java", java), (str(jar), jar.is_file())) if not found]
    if missing:
        why = f"the Nu HTML Checker needs {' and '.join(missing)}: run `make install-dev`"
        if os.environ.get("HTML_CHECKER_REQUIRED", "").strip() == "1":
            pytest.fail(f"{why} (HTML_CHECKER_REQUIRED=1)", pytrace=False)
        pytest.skip(f"{why}; public pages are not checked")
    return [java, "-jar", str(jar)]


def checker_errors(documents: dict[str, bytes]) -> dict[str, list[str]]:
    """The checker's errors ("line N: message"), by document name; one run for all of them."""
    command = checker_command()
    with tempfile.TemporaryDirectory(prefix="html-validity-") as folder:
        names = {}
        for number, (name, content) in enumerate(documents.items()):
            path = Path(folder) / f"page-{number:03d}.html"
            path.write_bytes(content)
            names[path.name] = name
        result = subprocess.run(
            [*command, "--format", "json", "--errors-only", "--stdout", *sorted(names)],
            cwd=folder,
            capture_output=True,
            timeout=600,
            check=False,
        )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"the checker gave no JSON report (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]!r}\n{result.stderr[-2000:]!r}",
            pytrace=False,
        )
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = names.get(Path(urlsplit(message.get("url", "")).path).name, "(no document)")
        line = message.get("lastLine", message.get("firstLine", "?"))
        extract = message.get("extract", "").strip().replace("\n", " ")
        text = f"line {line}: {message.get('message', message)}"
        errors.setdefault(name, []).append(f"{text}\n        near: {extract}" if extract else text)
    return errors


class Pages:
    """The HTML of each page to check, by method, address and status."""

    def __init__(self):
        self.documents: dict[str, bytes] = {}

    def add(self, response, name: str, status: int | set[int] = 200) -> None:
        expected = {status} if isinstance(status, int) else status
        assert response.status_code in expected, f"{name}: status {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), name
        name = f"{name} ({response.status_code})"
        seen = sum(1 for earlier in self.documents if earlier.startswith(name))
        self.documents[f"{name} #{seen + 1}" if seen else name] = response.content

    def get(self, client, url: str, status: int | set[int] = 200, *, note: str = "", **extra):
        path, _, query = url.partition("?")
        response = client.get(path, QUERY_STRING=query, **extra)
        self.add(response, f"GET {url}{note}", status)
        return response

    def post(self, client, url: str, data=None, status: int | set[int] = 200, *, note="", **extra):
        response = client.post(url, data or {}, **extra)
        if response.status_code == 302:
            # The page a visitor lands on after a form that redirects.
            return self.get(client, response["Location"], note=note)
        self.add(response, f"POST {url}{note}", status)
        return response


def in_language(model, language: str, **filters):
    return model.objects.live().filter(locale__language_code=language, **filters)


def content_pages(pages: Pages, client, language: str) -> None:
    """Wagtail's page types: home, programme, tips, calendar, activities, newsletter archive."""
    from buddypages.models import (
        ActivityCalendarPage,
        ActivityPage,
        LanguageTipIndexPage,
        LanguageTipPage,
        ProgrammePage,
    )
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage

    pages.get(client, f"/{language}/")
    pages.get(client, in_language(ProgrammePage, language).first().url)

    index = in_language(LanguageTipIndexPage, language).get()
    tip = in_language(LanguageTipPage, language).exclude(theme=None).first()
    pages.get(client, index.url)
    pages.get(client, f"{index.url}?level={tip.level}&theme={tip.theme.key}")
    pages.get(client, f"{index.url}?level=C2")  # a choice with no tips
    pages.get(client, tip.url)

    calendar = in_language(ActivityCalendarPage, language).get()
    for query in (
        "",
        "?view=month",
        "?view=past",
        "?view=upcoming&kind=buddy_cafe&audience=newcomers",
        "?view=month&kind=group_activity&audience=duos",
    ):
        pages.get(client, calendar.url + query)

    newsletters = in_language(NewsletterIndexPage, language).get()
    issue = in_language(NewsletterIssuePage, language).first()
    pages.get(client, newsletters.url)
    pages.get(client, issue.url)

    activity = next(
        page
        for page in in_language(ActivityPage, language, capacity__isnull=False)
        if page.upcoming_occurrences()
    )
    pages.get(client, activity.url)
    pages.post(client, f"{activity.url}signup/", {"name": "", "email": "nope"}, status=400)
    start = activity.upcoming_occurrences()[0].start
    pages.post(
        client,
        f"{activity.url}signup/",
        {"occurrence": start.isoformat(), "name": "Samira", "email": "s@example.net", "places": 2},
    )
    signup = activity.signups.latest("pk")
    cancel = f"{activity.url}cancel/{signup.token}/"
    pages.get(client, cancel)
    pages.post(client, cancel)  # done
    pages.post(client, cancel)  # a second click: already cancelled


def registration_pages(pages: Pages, client, language: str) -> None:
    from buddypages.models import RegistrationPage

    for page in in_language(RegistrationPage, language):
        pages.get(client, page.url)
        wrong = form_data(
            page.role,
            first_name="",
            email="nope",
            languages=None,
            availability=None,
            consent_programme=None,
            started=started_a_minute_ago(),
        )
        pages.post(client, page.url, wrong, status=400)
        pages.get(client, f"{page.url}thanks/")


def site_pages(pages: Pages, client, language: str) -> None:
    """Search, the error pages and a password-protected page."""
    from wagtail.models import PageViewRestriction

    from buddypages.models import LanguageTipPage, RegistrationPage

    tip = in_language(LanguageTipPage, language).last()
    pages.get(client, f"/{language}/search/")
    pages.get(client, f"/{language}/search/?q={quote(tip.title.split()[0])}")
    pages.get(client, f"/{language}/search/?q=zzzqqq")

    pages.get(client, f"/{language}/does-not-exist/", status=404)
    errors = Client(raise_request_exception=False)
    pages.get(errors, f"/{language}/", status=400, HTTP_HOST="not-allowed.example")
    pages.post(Client(enforce_csrf_checks=True), f"/{language}/", status=403)
    registration = in_language(RegistrationPage, language).first()
    pages.post(client, registration.url, {"hopes": "x" * 100_000}, status=413)
    request = RequestFactory().get(f"/{language}/")
    request.user = AnonymousUser()
    with translation.override(language):
        forbidden = defaults.permission_denied(request, PermissionDenied())
        pages.add(forbidden, f"Django's 403 view, {language}", status=403)
    if language == "nl":
        pages.add(defaults.server_error(request), "Django's 500 view", status=500)

    PageViewRestriction.objects.create(
        page=tip, restriction_type=PageViewRestriction.PASSWORD, password="tip-password"
    )
    protected = pages.get(client, tip.url, note=" (password-protected)")
    assert b'type="password"' in protected.content

    # The lockout page after too many wrong passwords (django-axes), in the browser's language.
    address = {"REMOTE_ADDR": f"10.9.9.{LANGUAGES.index(language)}"}
    login = {"username": "coordinator", "password": "wrong"}
    locked = Client(HTTP_ACCEPT_LANGUAGE=language)
    for _attempt in range(5):
        locked.post("/admin/login/", login, **address)
    note = f" (locked out, Accept-Language: {language})"
    lockout = pages.post(locked, "/admin/login/", login, {403, 429}, note=note, **address)
    assert b"buddysite/css/site.css" in lockout.content  # our page, not the admin's


def newsletter_pages(pages: Pages, client, language: str, demo) -> None:
    """Unsubscribing and confirming, from the links in the emails."""
    from buddypages.registry.tokens import newsletter_confirm_token
    from newsletter.services import TEST_RECIPIENT
    from newsletter.tokens import unsubscribe_token

    reader = participant(
        demo.programme,
        email=f"reader-{language}@example.net",
        preferred_language=language,
        newsletter_status="pending",
    )
    confirm = f"/{language}/newsletter/confirm/{newsletter_confirm_token(reader)}/"
    pages.get(client, confirm)
    pages.post(client, confirm)
    pages.post(client, f"/{language}/newsletter/confirm/not-a-token/", status=400)

    unsubscribe = (
        f"/{language}/newsletter/unsubscribe/{unsubscribe_token(reader.pk, reader.email)}/"
    )
    pages.get(client, unsubscribe)
    pages.post(client, unsubscribe, {"action": "unsubscribe"})  # then "send it again"
    test_copy = unsubscribe_token(TEST_RECIPIENT, "coordinator@example.net")
    pages.get(client, f"/{language}/newsletter/unsubscribe/{test_copy}/")
    pages.get(client, f"/{language}/newsletter/unsubscribe/not-a-token/", status=400)


def duo_pages(pages: Pages, client, language: str, duo) -> None:
    """The members' meeting log, for each member, with its messages and form errors."""
    from buddypages.duos.tokens import duo_link_token

    links = {
        role: f"/{language}/duo/{duo_link_token(duo, role)}/" for role in ("newcomer", "volunteer")
    }
    today = timezone.localdate().isoformat()
    meeting = {"action": "log", "date": today, "minutes": "60", "activity": "Markt"}
    pages.post(client, links["volunteer"], meeting)  # the newcomer has a meeting to confirm
    for url in links.values():
        pages.get(client, url)
        pages.post(client, url, {"action": "log", "date": "yesterday", "minutes": "60"}, 400)
        pages.post(client, url, {"action": "confirm", "meeting": "abc"}, status=400)
    confirm = {"action": "confirm", "meeting": duo.meetings.latest("pk").pk}
    pages.post(client, links["newcomer"], confirm)
    pages.get(client, f"/{language}/duo/not-a-token/", status=404)


def screen_pages(pages: Pages, client, language: str) -> None:
    """The waiting-room screen, alone and turning through languages, and a wrong address."""
    pages.get(client, f"/{language}/screen/")
    pages.get(client, f"/{language}/screen/?langs=nl,ar,ti")
    pages.get(client, f"/{language}/screen/?langs=nl,xx", status=400)


def embed_pages(pages: Pages, client, language: str) -> None:
    """The widgets' frames: a sign-up form (also with its mistakes), its thanks, the calendar
    and the tip."""
    from buddypages.models import RegistrationPage

    for page in in_language(RegistrationPage, language):
        frame = f"/{language}/embed/signup/{page.get_parent().slug}/{page.role}/"
        pages.get(client, frame)
        wrong = form_data(page.role, first_name="", email="nope", started=started_a_minute_ago())
        pages.post(client, frame, wrong, status=400, HTTP_ORIGIN="http://testserver")
        pages.get(client, f"{frame}thanks/")
    pages.get(client, f"/{language}/embed/calendar/")
    pages.get(client, f"/{language}/embed/calendar/?kind=buddy_cafe")
    pages.get(client, f"/{language}/embed/tip/")


def test_every_public_page_passes_the_html_checker(demo, settings):
    from buddypages.duos.models import Duo
    from newsletter.models import NewsletterIssuePage

    checker_command()  # skip before fetching anything when the checker is missing
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 0}
    # The archive shows sent issues only; "now" has microseconds, as a real send's time does.
    NewsletterIssuePage.objects.update(sent_at=timezone.now() - timedelta(days=2))
    active = Duo.objects.filter(status=Duo.Status.ACTIVE).order_by("pk").first()
    proven = next(duo for duo in Duo.objects.order_by("pk") if duo.has_proof())

    pages = Pages()
    for language in LANGUAGES:
        client = Client()
        content_pages(pages, client, language)
        registration_pages(pages, client, language)
        site_pages(pages, client, language)
        newsletter_pages(pages, client, language, demo)
        duo_pages(pages, client, language, active)
        screen_pages(pages, client, language)
        embed_pages(pages, client, language)
    coordinator = Client()
    coordinator.force_login(get_user_model().objects.get(username="coordinator"))
    pages.get(coordinator, f"/admin/duos/proof/{proven.pk}/")  # printed, so plain HTML too
    pages.documents[CANARY] = CANARY_HTML

    errors = checker_errors(pages.documents)

    assert len(errors.pop(CANARY, [])) == 2, "the checker did not report the canary's errors"
    report = "\n".join(
        f"{name}:\n" + "\n".join(f"  {error}" for error in found) for name, found in errors.items()
    )
    count = sum(map(len, errors.values()))
    assert not errors, (
        f"{count} HTML errors on {len(errors)} of {len(pages.documents) - 1} pages:\n{report}"
    )
