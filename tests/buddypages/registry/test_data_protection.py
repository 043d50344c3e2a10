"""GDPR lifecycle: erasure, retention, and no personal data in pages, API, search, reports."""

import logging
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from wagtail.log_actions import log

from buddypages.registry.data_protection import retention_apply
from buddypages.registry.models import Participant, RegistryAuditEvent
from tests.buddypages.registry.helpers import form_data, participant

pytestmark = pytest.mark.django_db

MARKER = "Quirinella"
EMAIL = "quirinella.unique@example.net"


def rows_mentioning(*needles: str) -> list[str]:
    """Every text value in every table that contains one of ``needles``."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._base_manager.values(*text_fields) if text_fields else []:
            for name, value in row.items():
                if value and any(needle.lower() in str(value).lower() for needle in needles):
                    found.append(f"{model._meta.label}.{name}")
    return found


def test_erasure_leaves_nothing_behind(client, forms, demo, django_capture_on_commit_callbacks):
    from buddypages.models import ActivityPage
    from tests.buddypages import factories

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            forms["nl"]["newcomer"].url,
            form_data(first_name=MARKER, email=EMAIL, hopes=f"{MARKER} wil fietsen"),
        )
    person = Participant.objects.get(email=EMAIL)
    coordinator = get_user_model().objects.get(username="coordinator")
    staff = Client()
    staff.force_login(coordinator)
    edit = staff.get(f"/admin/participants/edit/{person.pk}/")
    assert edit.status_code == 200
    person.intakes.create(
        held_on=timezone.localdate(),
        notes=f"{MARKER} is vriendelijk",
        expectations_confirmed=True,
        commitment_confirmed=True,
    )
    log(person, "wagtail.edit", user=coordinator)
    walk = ActivityPage.objects.filter(capacity__isnull=False, locale__language_code="nl").first()
    factories.sign_up(walk, EMAIL, start=walk.upcoming_occurrences()[0].start)
    assert rows_mentioning(MARKER, EMAIL)  # the search below really finds things

    response = staff.post(f"/admin/participants/delete/{person.pk}/")
    assert response.status_code == 302
    assert rows_mentioning(MARKER, EMAIL) == []
    event = RegistryAuditEvent.objects.get(action="erase", participant_ref=person.pk)
    assert event.username == "coordinator"


def test_retention_anonymises_ended_trajectories_and_removes_abandoned_sign_ups(demo, settings):
    now = timezone.now()
    long_ended = participant(
        demo.programme,
        first_name=MARKER,
        email=EMAIL,
        phone="0470 00 00 01",
        status="completed",
        ended_at=now - timedelta(days=400),
        dutch_level="a2",
        hopes="Iets persoonlijks",
    )
    long_ended.intakes.create(
        held_on=timezone.localdate(),
        notes="privé",
        expectations_confirmed=True,
        commitment_confirmed=True,
    )
    recently_ended = participant(
        demo.programme, status="stopped", ended_at=now - timedelta(days=30)
    )
    abandoned = participant(
        demo.programme, status="signed_up", last_signup_at=now - timedelta(days=200)
    )
    fresh = participant(demo.programme, status="signed_up", last_signup_at=now - timedelta(days=10))
    old_but_waiting = participant(
        demo.programme, status="waiting", last_signup_at=now - timedelta(days=500)
    )

    counts = retention_apply()

    assert counts["anonymised"] >= 1
    assert counts["removed"] >= 1
    long_ended.refresh_from_db()
    assert long_ended.anonymised_at is not None
    assert (long_ended.first_name, long_ended.email, long_ended.phone, long_ended.hopes) == (
        "",
        "",
        "",
        "",
    )
    assert long_ended.dutch_level == "a2"  # the numbers stay for the annual report
    assert long_ended.intakes.get().notes == ""
    assert str(long_ended).startswith("Anonymised") or MARKER not in str(long_ended)
    assert rows_mentioning(MARKER, EMAIL) == []
    assert not Participant.objects.filter(pk=abandoned.pk).exists()
    for kept in (recently_ended, fresh, old_but_waiting):
        kept.refresh_from_db()
        assert kept.anonymised_at is None
    assert RegistryAuditEvent.objects.filter(
        action="anonymise", participant_ref=long_ended.pk
    ).exists()
    assert RegistryAuditEvent.objects.filter(
        action="remove_abandoned", participant_ref=abandoned.pk
    ).exists()

    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RETENTION_DAYS": 10}
    retention_apply()
    recently_ended.refresh_from_db()
    assert recently_ended.anonymised_at is not None  # the setting decides


def test_the_retention_command_and_task(demo, capsys):
    from buddypages.registry.tasks import apply_retention

    old = participant(
        demo.programme, status="signed_up", last_signup_at=timezone.now() - timedelta(days=999)
    )
    call_command("apply_retention")
    assert re.search(r"removed [1-9]\d* abandoned", capsys.readouterr().out)
    assert not Participant.objects.filter(pk=old.pk).exists()
    assert apply_retention.enqueue().return_value == {"anonymised": 0, "removed": 0}


def test_retention_is_queued_for_the_night_on_the_database_queue(db, settings):
    from django_tasks_db.models import DBTaskResult

    from buddypages.registry.tasks import retention_schedule

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert retention_schedule() is True
    assert retention_schedule() is False  # one is enough
    queued = DBTaskResult.objects.get(task_path__endswith="apply_retention")
    assert queued.run_after > timezone.now()
    assert timezone.localtime(queued.run_after).hour == 3


def test_an_anonymised_record_cannot_be_edited(demo):
    gone = participant(demo.programme, anonymised_at=timezone.now(), first_name="", email="")
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="coordinator"))
    assert staff.get(f"/admin/participants/edit/{gone.pk}/").status_code != 200


def test_personal_data_stays_out_of_pages_api_and_search(client, forms):
    client.post(forms["nl"]["newcomer"].url, form_data(first_name=MARKER, email=EMAIL))
    assert Participant.objects.filter(email=EMAIL).exists()
    pages = [
        forms["nl"]["newcomer"].url,
        forms["nl"]["newcomer"].get_parent().url,
        "/api/v2/pages/?type=buddypages.RegistrationPage&fields=*",
        f"/api/v2/pages/?search={MARKER}",
        f"/api/v2/pages/{forms['nl']['newcomer'].pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url
    search = client.get(f"/nl/search/?q={MARKER}")
    assert len(search.context["results"]) == 0
    from wagtail.search.models import IndexEntry

    assert not IndexEntry.objects.filter(content_type__model="participant").exists()


def test_error_reports_carry_no_form_data(client, forms, monkeypatch, caplog):
    """A crash while saving a sign-up: the report shows neither POST data nor local variables."""
    from django.views.debug import ExceptionReporter

    from buddypages.registry import services

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services, "participant_register", broken)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(
            forms["nl"]["newcomer"].url, form_data(first_name=MARKER, email=EMAIL)
        )
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    report = ExceptionReporter(record.request, *record.exc_info).get_traceback_html()
    assert "database on fire" in report
    assert MARKER not in report
    assert EMAIL not in report
