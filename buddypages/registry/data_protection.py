"""Data protection: what the registry gives out and forgets about a person.

A subject access export, erasure, anonymisation and the nightly retention run. Contexts
above the registry that keep data about participants (the duos) take part through the
signals in ``buddypages.registry.signals``; the registry never imports them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from buddypages.calendar.models import ActivitySignup
from buddypages.pages.history import SiteLogEntry
from buddypages.pages.municipality import MunicipalitySettings
from buddypages.registry.audit import Action, registry_audit
from buddypages.registry.choices import NewsletterStatus
from buddypages.registry.conf import registry_setting
from buddypages.registry.models import Participant, RegistryAuditEvent, SignupAttempt
from buddypages.registry.signals import (
    participant_anonymising,
    participant_erasing,
    participant_exporting,
)
from buddypages.registry.training import participant_trainings_export


def export_value(value):
    """A value of the export as JSON takes it: dates and times in ISO 8601."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def participant_export(*, participant: Participant, user) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data (a subject access request)."""
    when = export_value
    record = {
        field.name: when(getattr(participant, field.attname))
        for field in Participant._meta.concrete_fields
    }
    record["programme_title"] = participant.programme.title if participant.programme else None
    record["programme_key"] = str(participant.programme_key)
    data = {
        "exported_at": timezone.now().isoformat(),
        "participant": record,
        "spoken_languages": participant.spoken_language_codes(),
        "interests": [
            {"key": interest.key, "name": interest.name} for interest in participant.interests.all()
        ],
        "availability": participant.availability_display(),
        "status_history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": when(change.changed_at),
                "by": change.changed_by.get_username() if change.changed_by else None,
                "note": change.note,
            }
            for change in participant.status_changes.select_related("changed_by")
        ],
        "intakes": [
            {
                "held_on": when(intake.held_on),
                "notes": intake.notes,
                "expectations_confirmed": intake.expectations_confirmed,
                "commitment_confirmed": intake.commitment_confirmed,
                "recorded_at": when(intake.recorded_at),
            }
            for intake in participant.intakes.all()
        ],
        "consents": [
            {
                "purpose": consent.purpose,
                "lawful_basis": consent.lawful_basis,
                "given": consent.given,
                "text_version": consent.text_version,
                "method": consent.method,
                "language": consent.language,
                "at": when(consent.recorded_at),
            }
            for consent in participant.consents.all()
        ],
        "activity_signups": [
            {
                "activity": signup.activity.title,
                "date": when(signup.occurrence_start),
                "name": signup.name,
                "email": signup.email,
                "places": signup.places,
                "status": signup.status,
                "signed_up_at": when(signup.created_at),
            }
            for signup in _activity_signups(participant).select_related("activity")
        ],
        "trainings": participant_trainings_export(participant, when),
        **_sections_from_above(participant),
        "access_log": [
            {"action": event.action, "at": when(event.at), "by": event.username}
            for event in RegistryAuditEvent.objects.filter(participant_ref=participant.pk)
        ],
    }
    registry_audit(Action.EXPORT_PERSON, user=user, participant=participant)
    return data


def _sections_from_above(participant: Participant) -> dict[str, Any]:
    """What the contexts above the registry (the duos) hold about this person."""
    sections: dict[str, Any] = {}
    for _receiver, section in participant_exporting.send(
        sender=Participant, participant=participant, when=export_value
    ):
        sections.update(section or {})
    return sections


def _activity_signups(participant: Participant):
    if not participant.email:
        return ActivitySignup.objects.none()
    # Only the person's sign-ups in their own municipality: another site's are its own records.
    return ActivitySignup.objects.filter(email__iexact=participant.email, site=participant.site_id)


def forget_admin_log(model, pks) -> None:
    """Drop Wagtail's history of these records: the per-site history where they are logged
    (buddypages.pages.history), and Wagtail's standard log for entries made before."""
    for log_model in (SiteLogEntry, ModelLogEntry):
        log_model.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()


def participant_erase(*, participant: Participant, user, action: str = Action.ERASE) -> None:
    """Delete everything held about this person: the record, its history, intakes,
    consents, their activity sign-ups and the admin log entries that name them.
    The registry audit log keeps only the number and the fact of the erasure."""
    pk = participant.pk
    with transaction.atomic():
        signups = _activity_signups(participant)
        forget_admin_log(ActivitySignup, list(signups.values_list("pk", flat=True)))
        signups.delete()
        participant_erasing.send(
            sender=Participant, participant=participant, forget_admin_log=forget_admin_log
        )
        forget_admin_log(Participant, [pk])
        participant.delete()
        registry_audit(action, user=user, participant_ref=pk, site_id=participant.site_id)


def participant_anonymise(*, participant: Participant) -> None:
    """Keep the numbers (role, programme, dates, level, interests) and drop the person."""
    with transaction.atomic():
        for name in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "postcode",
            "neighbourhood",
            "age_band",
            "household",
            "gender",
            "buddy_gender",
            "hopes",
            "experience",
        ):
            setattr(participant, name, "")
        participant.availability = 0
        participant.newsletter_status = NewsletterStatus.NONE
        participant.anonymised_at = timezone.now()
        participant.save()
        participant.intakes.update(notes="")
        participant.status_changes.update(note="")
        participant_anonymising.send(sender=Participant, participant=participant)
        forget_admin_log(Participant, [participant.pk])
        registry_audit(Action.ANONYMISE, participant=participant)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise ended trajectories and readers who stopped the newsletter; remove abandoned
    sign-ups and newsletter readers who never confirmed, past their time."""
    now = now or timezone.now()
    # Each municipality may keep ended trajectories for its own time; the others use the
    # installation's.
    own_days = dict(
        MunicipalitySettings.objects.filter(retention_days__isnull=False).values_list(
            "site_id", "retention_days"
        )
    )
    ended = [
        *Participant.objects.ended_before(
            now - timedelta(days=registry_setting("RETENTION_DAYS"))
        ).exclude(site_id__in=list(own_days)),
        *(
            participant
            for site_id, days in own_days.items()
            for participant in Participant.objects.ended_before(now - timedelta(days=days)).filter(
                site_id=site_id
            )
        ),
    ]
    abandoned = Participant.objects.abandoned_before(
        now - timedelta(days=registry_setting("ABANDONED_DAYS"))
    )
    unconfirmed = Participant.objects.unconfirmed_readers_before(
        now - timedelta(days=registry_setting("UNCONFIRMED_READER_DAYS"))
    )
    counts = {"anonymised": 0, "removed": 0}
    # A newsletter-only reader who stopped it: nothing left to keep, but the consent
    # ledger (given, then withdrawn) stays, as for everyone anonymised.
    for participant in [*ended, *Participant.objects.withdrawn_readers().iterator()]:
        participant_anonymise(participant=participant)
        counts["anonymised"] += 1
    # Sign-ups that went nowhere, and readers who never confirmed their address.
    for participant in [*abandoned.iterator(), *unconfirmed.iterator()]:
        participant_erase(participant=participant, user=None, action=Action.REMOVE_ABANDONED)
        counts["removed"] += 1
    window = timedelta(seconds=registry_setting("RATE_LIMIT_WINDOW_SECONDS"))
    SignupAttempt.objects.filter(at__lt=now - window).delete()
    return counts
