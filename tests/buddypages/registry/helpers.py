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


def participant(programme, *, ready: bool = True, **fields):
    """A participant written straight to the database (no form, no email).

    A volunteer is ``ready`` for matching by default: their programme key has a published
    information note and a valid insurance policy, and they acknowledged the one and are
    insured under the other (``ready=False`` for a volunteer who is neither)."""
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
    person = Participant.objects.create(**defaults)
    if ready and person.role == "volunteer":
        make_ready(person)
    return person


def volunteer_paperwork(programme, programme_key):
    """The published information note and the insurance policy valid today of a programme
    key (made once)."""
    from datetime import date

    from wagtail.models import Locale

    from buddypages.registry.volunteering import InformationNote, InsurancePolicy

    note = (
        InformationNote.objects.published().filter(programme_key=programme_key).order_by("-version")
    ).first() or InformationNote.objects.create(
        programme=programme,
        programme_key=programme_key,
        locale=Locale.get_default(),
        title="Informatienota voor vrijwilligers",
        body="<p>Wie organiseert, de verzekering, aansprakelijkheid, discretie.</p>",
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    policy = InsurancePolicy.objects.valid_on(timezone.localdate()).filter(
        programme_key=programme_key
    ).first() or InsurancePolicy.objects.create(
        programme=programme,
        programme_key=programme_key,
        insurer="Testverzekeraar",
        policy_number="TV-0001",
        covers="Burgerlijke aansprakelijkheid en lichamelijke ongevallen.",
        valid_from=date(2020, 1, 1),
    )
    return note, policy


def make_ready(person):
    """Acknowledge the note in force and insure ``person`` from today (as the link does)."""
    from buddypages.registry.volunteering import InsuranceCover, NoteAcknowledgement

    note, policy = volunteer_paperwork(person.programme, person.programme_key)
    NoteAcknowledgement.objects.get_or_create(
        participant=person,
        note_key=note.translation_key,
        version=note.version,
        defaults={"note": note, "language": "nl"},
    )
    if not person.insurance_covers.valid_on(timezone.localdate()).exists():
        InsuranceCover.objects.create(
            participant=person, policy=policy, starts_on=policy.valid_from
        )
    return person
