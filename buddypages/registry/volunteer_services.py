"""Services for volunteers' information note and insurance periods. Owner: the volunteer
feature.

A volunteer acknowledges the programme's current information note through a signed link
(email); the acknowledgement goes into the consent ledger and opens their insurance
period. The periods close when the volunteer's status ends; the insurer gets the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.pages.access import seal
from buddypages.pages.municipality import sender_for_programme_key
from buddypages.registry.audit import Action, registry_audit
from buddypages.registry.choices import ENDED_STATUSES, Role, Status
from buddypages.registry.models import Consent, Participant
from buddypages.registry.signals import participant_exporting
from buddypages.registry.tokens import email_hash
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    InsurancePolicy,
    NoteAcknowledgement,
)

NOTE_SALT = "buddypages.registry.volunteer_note"
NOTE_LINK_DAYS = 60
# Volunteers who get the link when a new version is published: still in the programme.
NOTE_STATUSES = (Status.INTAKE_DONE, Status.WAITING, Status.MATCHED, Status.ACTIVE)


class VolunteeringError(Exception):
    """Something the volunteer or coordinator asked that cannot be done; translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- The current note --------------------------------------------------------------


@dataclass(frozen=True)
class CurrentNote:
    """The note in force for a programme, in the reader's language when it exists."""

    note: InformationNote
    language: str  # the language of ``note``
    fallback: bool  # True when it is not in the language asked for

    @property
    def key(self):
        return self.note.translation_key

    @property
    def version(self) -> int:
        return self.note.version


def note_in_force(programme_key) -> InformationNote | None:
    """The published note with the highest version for the programme (any language)."""
    return (
        InformationNote.objects.published()
        .filter(programme_key=programme_key)
        .order_by("-version", "-published_at", "pk")
        .first()
    )


def note_current(*, programme_key, language: str) -> CurrentNote | None:
    """The note in force, in ``language``; else in Dutch (the site's language); else any."""
    note = note_in_force(programme_key)
    if note is None:
        return None
    # A translation not yet synchronised with a new version still says the old text: it does
    # not count (the volunteer reads the version in force, in Dutch, with a notice).
    versions = {
        n.locale.language_code: n
        for n in InformationNote.objects.filter(
            translation_key=note.translation_key, version=note.version
        )
        .published()
        .select_related("locale")
    }
    for code in (language, settings.LANGUAGE_CODE):
        if code in versions:
            return CurrentNote(versions[code], code, fallback=code != language)
    return CurrentNote(note, note.locale.language_code, fallback=True)


def acknowledged_current(participant: Participant, note: InformationNote | None = None) -> bool:
    note = note or note_in_force(participant.programme_key)
    return (
        note is not None
        and participant.note_acknowledgements.filter(
            note_key=note.translation_key, version=note.version
        ).exists()
    )


def policy_in_force(programme_key, day: date | None = None) -> InsurancePolicy | None:
    day = day or timezone.localdate()
    return InsurancePolicy.objects.valid_on(day).filter(programme_key=programme_key).first()


# --- The signed link ---------------------------------------------------------------


def note_token(participant: Participant) -> str:
    """The link's token: it stops working when the address changes (or after 60 days)."""
    return signing.dumps(
        {"p": participant.pk, "e": email_hash(participant.email)}, salt=NOTE_SALT, compress=True
    )


def note_token_participant(token: str) -> Participant | None:
    """The volunteer a link belongs to, or None (forged, expired, erased, address changed)."""
    try:
        payload = signing.loads(token, salt=NOTE_SALT, max_age=timedelta(days=NOTE_LINK_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    participant = (
        Participant.objects.not_anonymised()
        .filter(pk=payload.get("p"), role=Role.VOLUNTEER)
        .exclude(email="")
        .first()
    )
    if participant is None or email_hash(participant.email) != payload.get("e"):
        return None
    return participant


def note_link(participant: Participant, language: str) -> str:
    with translation.override(language):
        path = reverse("buddypages:volunteer-note", args=[note_token(participant)])
    return absolute_url(path, site=participant.site_id)


# --- Sending the link --------------------------------------------------------------


def volunteer_note_send(*, participant: Participant, user=None) -> bool:
    """Email the volunteer the link to the current note (after the commit). False when there
    is nobody to write to or no note in force."""
    if (
        participant.role != Role.VOLUNTEER
        or participant.anonymised_at
        or not participant.email
        or note_in_force(participant.programme_key) is None
    ):
        return False
    registry_audit(
        Action.CHANGE,
        user=user,
        participant=participant,
        detail="information note link sent",
    )
    pk = participant.pk
    transaction.on_commit(lambda: send_volunteer_note_email.enqueue(participant_id=pk))
    return True


def volunteer_notes_send(*, programme_key, user=None) -> int:
    """After a new version: email every volunteer still in the programme who has not
    acknowledged the note in force: of the sites ``user`` may see when a coordinator asks
    (the nightly command, with no user, acts for every site). Returns how many links are
    queued."""
    note = note_in_force(programme_key)
    if note is None:
        return 0
    volunteers = (
        Participant.objects.not_anonymised()
        .filter(programme_key=programme_key, role=Role.VOLUNTEER, status__in=NOTE_STATUSES)
        .exclude(email="")
        .exclude(
            note_acknowledgements__note_key=note.translation_key,
            note_acknowledgements__version=note.version,
        )
    )
    if user is not None:
        volunteers = seal(volunteers, user)
    sent = 0
    with transaction.atomic():
        for participant in volunteers:
            sent += volunteer_note_send(participant=participant, user=user)
    return sent


def volunteer_note_email_send(*, participant_id: int) -> None:
    participant = Participant.objects.not_anonymised().filter(pk=participant_id).first()
    if participant is None or not participant.email:
        return  # erased before the worker got to it
    language = participant.preferred_language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    current = note_current(programme_key=participant.programme_key, language=language)
    if current is None or acknowledged_current(participant, current.note):
        return  # withdrawn, or acknowledged in the meantime
    with translation.override(language):
        send_templated_email(
            to=participant.email,
            subject=gettext("Please read the information note for volunteers"),
            template="buddypages/registry/email/volunteer_note",
            sender=sender_for_programme_key(participant.programme_key),
            context={
                "first_name": participant.first_name,
                "link": note_link(participant, language),
                "days": NOTE_LINK_DAYS,
                "language": language,
            },
        )


@task()
def send_volunteer_note_email(*, participant_id: int) -> None:
    """Send a volunteer the link to the information note (from the task worker)."""
    volunteer_note_email_send(participant_id=participant_id)


# --- Acknowledging -----------------------------------------------------------------


def note_acknowledge(
    *, participant: Participant, note: InformationNote, language: str
) -> NoteAcknowledgement:
    """Record that the volunteer read and accepted ``note``'s version: the acknowledgement,
    the consent ledger, the audit log, and an insurance period when none is open.
    Acknowledging the same version twice changes nothing."""
    with transaction.atomic():
        existing = participant.note_acknowledgements.filter(
            note_key=note.translation_key, version=note.version
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                acknowledgement = NoteAcknowledgement.objects.create(
                    participant=participant,
                    note=note,
                    note_key=note.translation_key,
                    version=note.version,
                    language=language,
                )
        except IntegrityError:  # a double click that got here at the same moment
            return participant.note_acknowledgements.get(
                note_key=note.translation_key, version=note.version
            )
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.INFORMATION_NOTE,
            given=True,
            text_version=note.version_label,
            method=Consent.Method.EMAIL_LINK,
            language=language,
        )
        registry_audit(
            Action.CHANGE,
            participant=participant,
            detail=f"information note v{note.version} acknowledged",
        )
        _cover_open_if_none(participant)
    return acknowledgement


def _cover_open_if_none(participant: Participant, *, user=None) -> InsuranceCover | None:
    today = timezone.localdate()
    if participant.insurance_covers.filter(ends_on__isnull=True).exists():
        return None
    if participant.insurance_covers.valid_on(today).exists():
        return None
    policy = policy_in_force(participant.programme_key, today)
    if policy is None:
        return None
    return insurance_cover_open(participant=participant, policy=policy, starts_on=today, user=user)


# --- Insurance periods -------------------------------------------------------------


def insurance_cover_open(
    *, participant: Participant, policy: InsurancePolicy, starts_on: date, user=None
) -> InsuranceCover:
    """Start an insurance period under ``policy`` (no overlap with another period)."""
    if participant.role != Role.VOLUNTEER:
        raise VolunteeringError(_("Only volunteers are insured through the programme."))
    if policy.programme_key != participant.programme_key:
        raise VolunteeringError(_("This policy belongs to another programme."))
    if starts_on < policy.valid_from or (policy.valid_until and starts_on > policy.valid_until):
        raise VolunteeringError(_("The policy is not valid on that date."))
    far = date.max
    if participant.insurance_covers.overlapping(starts_on, far).exists():
        raise VolunteeringError(_("An insurance period is already open on or after that date."))
    with transaction.atomic():
        cover = InsuranceCover.objects.create(
            participant=participant,
            policy=policy,
            starts_on=starts_on,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        registry_audit(
            Action.CHANGE,
            user=user,
            participant=participant,
            detail=f"insurance period opened from {starts_on.isoformat()}",
        )
    return cover


def insurance_cover_close(*, cover: InsuranceCover, ends_on: date, user=None) -> InsuranceCover:
    """End an insurance period on ``ends_on`` (not before it started)."""
    if ends_on < cover.starts_on:
        raise VolunteeringError(_("The end date is before the start date."))
    with transaction.atomic():
        cover.ends_on = ends_on
        cover.save(update_fields=["ends_on"])
        registry_audit(
            Action.CHANGE,
            user=user,
            participant_ref=cover.participant_id,
            detail=f"insurance period closed on {ends_on.isoformat()}",
        )
    return cover


def insurance_cover_change(
    *, cover: InsuranceCover, starts_on: date, ends_on: date | None, user=None
) -> InsuranceCover:
    """A coordinator corrects a period's dates (no overlap with the volunteer's others)."""
    if ends_on is not None and ends_on < starts_on:
        raise VolunteeringError(_("The end date is before the start date."))
    others = cover.participant.insurance_covers.exclude(pk=cover.pk)
    if others.overlapping(starts_on, ends_on or date.max).exists():
        raise VolunteeringError(_("These dates overlap another insurance period."))
    with transaction.atomic():
        cover.starts_on, cover.ends_on = starts_on, ends_on
        cover.save(update_fields=["starts_on", "ends_on"])
        registry_audit(
            Action.CHANGE,
            user=user,
            participant_ref=cover.participant_id,
            detail=f"insurance period {cover.pk} changed",
        )
    return cover


def insurance_cover_delete(*, cover: InsuranceCover, user=None) -> None:
    """Remove a period entered by mistake."""
    with transaction.atomic():
        registry_audit(
            Action.CHANGE,
            user=user,
            participant_ref=cover.participant_id,
            detail=f"insurance period {cover.pk} removed",
        )
        cover.delete()


def programme_overview(*, programme) -> dict:
    """What the coordinator's overview shows for one programme: counts, no names."""
    key = programme.translation_key
    note = note_in_force(key)
    today = timezone.localdate()
    volunteers = Participant.objects.not_anonymised().filter(
        programme_key=key, role=Role.VOLUNTEER, status__in=NOTE_STATUSES
    )
    acknowledged = (
        volunteers.filter(
            note_acknowledgements__note_key=note.translation_key,
            note_acknowledgements__version=note.version,
        )
        .distinct()
        .count()
        if note
        else 0
    )
    insured = volunteers.filter(
        pk__in=InsuranceCover.objects.valid_on(today).values("participant")
    ).count()
    return {
        "programme": programme,
        "note": note,
        "policy": policy_in_force(key, today),
        "volunteers": volunteers.count(),
        "acknowledged": acknowledged,
        "missing": volunteers.count() - acknowledged if note else 0,
        "insured": insured,
    }


def volunteer_status_changed(*, participant: Participant, status: str, user=None) -> None:
    """Called by the registry's status service on every move.

    Ending (completed, stopped): open insurance periods end today. Waiting for a match
    without an acknowledgement of the note in force: the note link goes out."""
    if participant.role != Role.VOLUNTEER or not participant.pk:
        return
    if status in ENDED_STATUSES:
        today = timezone.localdate()
        for cover in participant.insurance_covers.filter(ends_on__isnull=True):
            insurance_cover_close(cover=cover, ends_on=max(today, cover.starts_on), user=user)
    elif status == Status.WAITING and not acknowledged_current(participant):
        volunteer_note_send(participant=participant, user=user)


# --- The coordinator's participant page and the person's own data -------------------


def participant_admin_context(request, participant) -> dict:
    """The volunteer's note, insurance periods on the coordinator's participant page
    (template ``buddypages/registry/admin/sections/volunteering.html``)."""
    if participant.role != Role.VOLUNTEER:
        return {}
    note = note_in_force(participant.programme_key)
    acknowledgements = list(participant.note_acknowledgements.all())
    current = None
    if note is not None:
        current = next(
            (
                a
                for a in acknowledgements
                if a.note_key == note.translation_key and a.version == note.version
            ),
            None,
        )
    today = timezone.localdate()
    covers = list(participant.insurance_covers.select_related("policy"))
    return {
        "volunteering": {
            "note": note,
            "acknowledgement": current,
            "ack_language": str(dict(settings.LANGUAGES).get(current.language, current.language))
            if current
            else "",
            "earlier": [a for a in acknowledgements if a is not current],
            "covers": covers,
            "insured_today": any(
                c.starts_on <= today and (c.ends_on is None or c.ends_on >= today) for c in covers
            ),
            "open_cover": next((c for c in covers if c.ends_on is None), None),
            "policy": policy_in_force(participant.programme_key, today),
            "can_change": request.user.has_perm("buddypages.change_participant")
            and not participant.anonymised_at,
            "today": today,
        }
    }


@receiver(participant_exporting, sender=Participant, dispatch_uid="buddypages-volunteering")
def _export_volunteering(sender, participant, when, **kwargs):
    return {
        "information_note_acknowledgements": [
            {"version": a.version, "language": a.language, "at": when(a.acknowledged_at)}
            for a in participant.note_acknowledgements.all()
        ],
        "insurance_periods": [
            {
                "insurer": c.policy.insurer,
                "policy_number": c.policy.policy_number,
                "from": when(c.starts_on),
                "until": when(c.ends_on) if c.ends_on else None,
            }
            for c in participant.insurance_covers.select_related("policy")
        ],
    }
