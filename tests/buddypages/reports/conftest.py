"""Municipalities of their own for the report tests: a site, its home page and a programme,
with people written straight to the database at chosen dates (the report reads the past)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from wagtail.models import Locale, Page, Site

_numbers = itertools.count(1)


def municipality(name: str):
    """A site (its own home page in Dutch) with one programme; returns (site, programme)."""
    from buddypages.models import HomePage, ProgrammePage

    number = next(_numbers)
    nl, _created = Locale.objects.get_or_create(language_code="nl")
    home = HomePage(title=name, slug=f"report-home-{number}", locale=nl)
    Page.get_first_root_node().add_child(instance=home)
    programme = ProgrammePage(
        title=f"Buddy {name}", slug=f"buddy-{number}", summary=f"{name}.", locale=nl
    )
    home.add_child(instance=programme)
    programme.save_revision().publish()
    site = Site.objects.create(
        hostname=f"report-{number}.example", port=80, root_page=home, site_name=name
    )
    return site, programme


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def person(programme, *, role="newcomer", signed_up=date(2019, 3, 1), **fields):
    from buddypages.registry.models import Participant

    values = {
        "programme": programme,
        "programme_key": programme.translation_key,
        "role": role,
        "status": "signed_up",
        "first_name": "Rapport",
        "last_name": "Testpersoon",
        "email": f"report-{next(_numbers)}@example.net",
        "form_language": "nl",
        "preferred_language": "ar" if role == "newcomer" else "nl",
        "created_at": moment(signed_up),
        "last_signup_at": moment(signed_up),
    }
    values.update(fields)
    return Participant.objects.create(**values)


def duo(programme, newcomer, volunteer, *, start, status="active", ended_on=None, reason=""):
    from buddypages.duos.models import Duo

    return Duo.objects.create(
        programme=programme,
        programme_key=programme.translation_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=start,
        planned_end=date(start.year + 1, start.month, 1),
        feedback_due=start,
        status=status,
        ended_on=ended_on,
        stop_reason=reason,
    )


def meeting(duo, *, on, minutes, confirmed=True):
    from buddypages.duos.models import Meeting

    return Meeting.objects.create(
        duo=duo,
        date=on,
        minutes=minutes,
        logged_by="newcomer",
        confirmed_by="volunteer" if confirmed else "",
        confirmed_at=moment(on) if confirmed else None,
    )


@pytest.fixture
def town(db):
    return municipality("Ardooie")


@pytest.fixture
def other_town(db):
    return municipality("Assenede")
