"""Builders for registry tests."""

from __future__ import annotations

import time

from django.core import signing
from django.utils import timezone

from buddypages.registry.forms import STARTED_SALT


class _EarlierSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 60)


def started_a_minute_ago() -> str:
    """The form's timer as if the visitor opened it a minute ago."""
    return _EarlierSigner(salt=STARTED_SALT).sign("form")


def registration_pages() -> dict[str, dict[str, object]]:
    from buddypages.models import RegistrationPage

    pages: dict[str, dict[str, object]] = {}
    for page in RegistrationPage.objects.live().select_related("locale"):
        pages.setdefault(page.locale.language_code, {})[page.role] = page
    return pages


def form_data(role: str = "newcomer", **overrides) -> dict:
    data = {
        "first_name": "Samira",
        "last_name": "Testpersoon",
        "email": "samira.test@example.net",
        "phone": "0470 11 22 33",
        "languages": ["ar", "fr"],
        "preferred_language": "ar",
        "postcode": "2990",
        "neighbourhood": "Stationswijk",
        "age_band": "26-35",
        "household": "children",
        "interests": ["cooking", "football"],
        "availability": ["sat_morning", "wed_evening"],
        "hopes": "Nederlands oefenen.",
        "consent_programme": "on",
        "website": "",
        "started": started_a_minute_ago(),
    }
    if role == "newcomer":
        data["dutch_level"] = "a1"
    else:
        data.update({"experience": "Taalcafé", "max_duos": "2", "languages": ["nl", "en"]})
        data["preferred_language"] = "nl"
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def participant(programme, **fields):
    """A participant written straight to the database (no form, no email)."""
    from buddypages.registry.models import Participant

    defaults = {
        "programme": programme,
        "programme_key": programme.translation_key,
        "role": "newcomer",
        "status": "signed_up",
        "first_name": "Test",
        "last_name": "Persoon",
        "email": f"test-{time.monotonic_ns()}@example.net",
        "form_language": "nl",
        "postcode": "2990",
        "last_signup_at": timezone.now(),
    }
    defaults.update(fields)
    return Participant.objects.create(**defaults)
