"""Run inside a host (``python host_check.py`` in its folder, DJANGO_SETTINGS_MODULE set):
build a little content the way an editor would, visit it as a visitor, a sign-up and a
coordinator would, and print what each saw as JSON for ``tests/test_hosts.py`` to judge.

It is a script, not a test module: it runs in the host's own process, against the plugin
as the host installed it (from the wheel), far from this repository's settings.
"""

import json
import os
import re
import sys
from datetime import timedelta

import django

sys.path.insert(0, os.getcwd())
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Site  # noqa: E402

import buddypages  # noqa: E402
from buddypages.models import (  # noqa: E402
    ActivityCalendarPage,
    ActivityPage,
    LanguageTipIndexPage,
    LanguageTipPage,
    ProgrammePage,
    RegistrationPage,
)
from buddypages.registry.forms import STARTED_SALT  # noqa: E402
from buddypages.registry.models import Participant  # noqa: E402

report = {"plugin_from": buddypages.__file__, "pages": {}}
arabic, _ = Locale.objects.get_or_create(language_code="ar")
home = Site.objects.get(is_default_site=True).root_page.specific
report["can_create_programme_under_home"] = ProgrammePage.can_create_at(home)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def translated(page):
    copy = page.copy_for_translation(arabic)
    copy.title = f"{page.title} (ar)"
    copy.save_revision().publish()
    return copy


translated(home)
programme = publish(
    home,
    ProgrammePage(
        title="Buddywerking Testdorp",
        slug="buddywerking",
        summary="Samen Nederlands oefenen.",
        for_newcomers="Je leert Nederlands.",
        for_volunteers="Je spreekt Nederlands.",
    ),
)
signup = publish(
    programme,
    RegistrationPage(
        title="Aanmelden als nieuwkomer",
        slug="aanmelden",
        role="newcomer",
        intro="<p>Vraag een buddy.</p>",
        privacy_summary="<p>Alleen de coördinator ziet je antwoorden.</p>",
        privacy_version="2026-12",
        thank_you="<p>Bedankt!</p>",
    ),
)
tips = publish(home, LanguageTipIndexPage(title="Taaltips", slug="taaltips"))
tip = publish(
    tips,
    LanguageTipPage(
        title="Goeiedag", slug="goeiedag", phrase="Goeiedag!", meaning="Hallo.", level="A1"
    ),
)
calendar = publish(home, ActivityCalendarPage(title="Activiteiten", slug="activiteiten"))
start = timezone.now() + timedelta(days=7)
activity = publish(
    calendar,
    ActivityPage(
        title="Buddycafé",
        slug="buddycafe",
        summary="Koffie en babbelen.",
        start=start,
        end=start + timedelta(hours=2),
    ),
)
for page in (programme, signup, tips, tip, calendar, activity):
    translated(page)


def visit(client, url, **extra):
    response = client.get(url, **extra)
    body = response.content.decode(errors="replace")
    html = re.search(r"<html[^>]*>", body)
    return {
        "status": response.status_code,
        "type": response.get("Content-Type", ""),
        "html": html.group(0) if html else "",
        "body": body[:200_000],
        "csp": response.get("Content-Security-Policy", ""),
        "x_frame_options": response.get("X-Frame-Options", ""),
    }


visitor = Client()
for code in ("nl", "ar"):
    for name, url in (
        ("programme", f"/{code}/buddywerking/"),
        ("signup", f"/{code}/buddywerking/aanmelden/"),
        ("tip", f"/{code}/taaltips/goeiedag/"),
        ("calendar", f"/{code}/activiteiten/"),
        ("feed", f"/{code}/activiteiten/ical/"),
        ("embed-signup", f"/{code}/embed/signup/buddywerking/newcomer/"),
        ("embed-calendar", f"/{code}/embed/calendar/"),
        ("embed-tip", f"/{code}/embed/tip/"),
    ):
        report["pages"][f"{name}-{code}"] = visit(visitor, url)

report["embed_script"] = visit(visitor, "/embed.js")

# Another front end reads the programme through the API, in Arabic.
report["api"] = visit(visitor, "/api/v2/pages/?type=buddypages.ProgrammePage&locale=ar")
report["api_v3"] = visit(visitor, "/api/v3/tips/?locale=ar")
report["api_v3_missing"] = visit(visitor, "/api/v3/pages/987654/", HTTP_ACCEPT_LANGUAGE="ar")
report["api_v3_operations"] = sorted(
    operation["operationId"]
    for path in json.loads(visitor.get("/api/v3/openapi.json").content)["paths"].values()
    for operation in path.values()
)

# A newcomer signs up through the form, in Arabic.
from django.core import signing  # noqa: E402

with override_settings(BUDDY_REGISTRY={"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 0}):
    form = {
        "first_name": "Samira",
        "last_name": "Gastvrij",
        "email": "samira@example.net",
        "languages": ["ar"],
        "preferred_language": "ar",
        "dutch_level": "a1",
        "postcode": "2990",
        "neighbourhood": "Centrum",
        "age_band": "26-35",
        "household": "alone",
        "availability": ["sat_morning"],
        "consent_programme": "on",
        "website": "",
        "started": signing.TimestampSigner(salt=STARTED_SALT).sign("form"),
    }
    response = Client().post("/ar/buddywerking/aanmelden/", form)
    report["signup_post"] = {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "errors": re.findall(
            r'class="[^"]*error[^"]*"[^>]*>([^<]{0,200})', response.content.decode()
        )
        if response.status_code != 302
        else [],
    }
report["participants"] = list(Participant.objects.values_list("first_name", "last_name"))

# A coordinator: the registry in the admin.
coordinators, _ = Group.objects.get_or_create(name="Coordinators")
coordinators.permissions.add(
    *Permission.objects.filter(
        codename__in=["access_admin", "view_participant", "change_participant"]
    )
)
user = get_user_model().objects.create_user("coordinator", password="x" * 16)
user.groups.add(coordinators)
staff = Client()
staff.force_login(user)
report["registry"] = visit(staff, "/admin/participants/")
report["installed"] = list(settings.INSTALLED_APPS)
sys.stdout.write("HOST-REPORT " + json.dumps(report) + "\n")
