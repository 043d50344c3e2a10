"""Registry workflows: sign up, change, intake, export, erase, retention.

Every write that touches personal data goes through here, and each one leaves
a row in the registry audit log (who, what, which participant number).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from buddypages.registry.choices import (
    ENDED_STATUSES,
    NewsletterStatus,
    Status,
    availability_mask,
)
from buddypages.registry.conf import registry_setting
from buddypages.registry.models import (
    Consent,
    Intake,
    Participant,
    ParticipantLanguage,
    RegistryAuditEvent,
    SignupAttempt,
    StatusChange,
)

Action = RegistryAuditEvent.Action
NEWSLETTER_SALT = "buddypages.registry.newsletter"
NEWSLETTER_LINK_DAYS = 30

# Answers a sign-up writes straight onto the participant (the rest need work).
FORM_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "preferred_language",
    "dutch_level",
    "postcode",
    "neighbourhood",
    "age_band",
    "household",
    "gender",
    "buddy_gender",
    "hopes",
    "experience",
    "max_duos",
)


class RegistrationError(Exception):
    """A sign-up that cannot be taken; ``message`` says why, translatable."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def client_key(address: str) -> str:
    """A keyed hash of a client address: enough to count attempts, useless to anyone else."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def registry_audit(action: str, *, user=None, participant_ref=None, count=1, detail="") -> None:
    """One row of the registry audit log (who did what to which participant number)."""
    RegistryAuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        participant_ref=participant_ref,
        count=count,
        detail=detail[:255],
    )


def _set_status(participant: Participant, status: str, *, user=None, note: str = "") -> None:
    """Move ``participant`` to ``status`` (saved by the caller) and keep the change."""
    if participant.status == status:
        return
    now = timezone.now()
    StatusChange.objects.create(
        participant=participant,
        from_status=participant.status or "",
        to_status=status,
        changed_by=user if user is not None and user.is_authenticated else None,
        note=note[:200],
    )
    participant.status = status
    participant.status_changed_at = now
    if status == Status.WAITING:
        participant.waiting_since = participant.waiting_since or now
    else:
        participant.waiting_since = None
    participant.ended_at = now if status in ENDED_STATUSES else None


def participant_status_set(
    *, participant: Participant, status: str, user=None, note: str = ""
) -> None:
    """Move ``participant`` along the pipeline and save: for other parts of the app
    (duos) that change a status as a consequence of their own work."""
    if participant.status != status:
        _set_status(participant, status, user=user, note=note)
        participant.save(
            update_fields=["status", "status_changed_at", "waiting_since", "ended_at", "updated_at"]
        )


def _rate_limited(key: str | None) -> bool:
    """Count this attempt; True when the address sent too many in the window."""
    limit = registry_setting("RATE_LIMIT")
    if not limit or not key:
        return False
    since = timezone.now() - timedelta(seconds=registry_setting("RATE_LIMIT_WINDOW_SECONDS"))
    if SignupAttempt.objects.filter(key=key, at__gte=since).count() >= limit:
        return True
    SignupAttempt.objects.create(key=key)
    return False


def _source_programme(page):
    """The programme a registration page sits under, in the source language
    (so every language's sign-ups point at one page)."""
    from buddypages.models import ProgrammePage

    programme = page.get_parent().specific
    if not isinstance(programme, ProgrammePage):
        raise RegistrationError(_("This sign-up form is not part of a programme."))
    source = ProgrammePage.objects.filter(
        translation_key=programme.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return source or programme


def _interests_by_key(keys) -> list:
    """The source-language interest for each key (a tick means the same in every language)."""
    from buddypages.snippets import Interest

    chosen = {}
    for interest in Interest.objects.filter(key__in=keys).select_related("locale"):
        if interest.key not in chosen or interest.locale.language_code == settings.LANGUAGE_CODE:
            chosen[interest.key] = interest
    return list(chosen.values())


def participant_register(
    *, page, data: dict[str, Any], language: str, client: str | None = None
) -> Participant:
    """Write a valid sign-up to the registry, in one transaction, before any email.

    A second sign-up with the same email for the same programme and role
    updates that person's record (and counts it) instead of adding another.
    """
    programme = _source_programme(page)
    email = data["email"].strip().lower()
    for attempt in range(3):
        try:
            with transaction.atomic():
                if attempt == 0 and _rate_limited(client):
                    raise RegistrationError(
                        _(
                            "We received many sign-ups from your connection. "
                            "Please try again in an hour."
                        ),
                        status=429,
                    )
                participant = _register(
                    programme=programme, page=page, email=email, data=data, language=language
                )
            break
        except IntegrityError:
            # Someone sent the same email at the same moment (PostgreSQL):
            # their row exists now, so the next try updates it.
            if attempt == 2:
                raise
    transaction.on_commit(lambda: queue_registration_email(participant.pk))
    return participant


def _register(*, programme, page, email, data, language) -> Participant:
    now = timezone.now()
    role = page.role
    participant = (
        Participant.objects.select_for_update()
        .filter(programme_key=programme.translation_key, role=role, email=email)
        .first()
    )
    is_new = participant is None
    if is_new:
        participant = Participant(
            programme=programme,
            programme_key=programme.translation_key,
            role=role,
            email=email,
            status="",
        )
    else:
        participant.signup_count += 1
    for name in FORM_FIELDS:
        if name in data:
            setattr(participant, name, data[name] if data[name] is not None else "")
    participant.availability = availability_mask(data.get("availability", []))
    participant.form_language = language
    participant.last_signup_at = now
    wants_newsletter = data.get("consent_newsletter") and (
        participant.newsletter_status != NewsletterStatus.CONFIRMED
    )
    if wants_newsletter:
        participant.newsletter_status = NewsletterStatus.PENDING
    if is_new:
        participant.save()
        _set_status(participant, Status.SIGNED_UP, note="registration form")
    elif participant.is_ended:
        _set_status(participant, Status.SIGNED_UP, note="signed up again")
    participant.save()

    _set_languages(participant, data.get("languages", []))
    participant.interests.set(_interests_by_key(data.get("interests", [])))
    Consent.objects.create(
        participant=participant,
        purpose=Consent.Purpose.PROGRAMME,
        given=True,
        text_version=_privacy_version(page),
        method=Consent.Method.WEB_FORM,
        language=language,
    )
    registry_audit(
        Action.REGISTER,
        participant_ref=participant.pk,
        detail="new" if is_new else f"signed up again ({participant.signup_count} times)",
    )
    return participant


def _privacy_version(page) -> str:
    revision = page.live_revision_id or page.latest_revision_id
    return f"{page.privacy_version} (page {page.pk}, revision {revision})"


def queue_registration_email(participant_id: int, attempt: int = 1) -> None:
    from buddypages.registry.tasks import send_registration_email

    task = send_registration_email
    if attempt > 1 and task.get_backend().supports_defer:
        delay = registry_setting("EMAIL_RETRY_SECONDS") * 2 ** (attempt - 2)
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue(participant_id=participant_id, attempt=attempt)


# --- Changes by coordinators ---------------------------------------------------


def participant_update(
    *,
    participant: Participant,
    user,
    changed_fields: list[str],
    status: str | None = None,
    note: str = "",
    languages: list[str] | None = None,
    interests=None,
) -> Participant:
    """Save a coordinator's edit; a status change goes into the history."""
    with transaction.atomic():
        _save_answers(participant, languages=languages, interests=interests)
        if status is not None and status != participant.status:
            _set_status(participant, status, user=user, note=note)
            changed_fields = [*changed_fields, "status"]
        participant.save()
        registry_audit(
            Action.CHANGE,
            user=user,
            participant_ref=participant.pk,
            detail=", ".join(sorted(set(changed_fields))),
        )
    return participant


def intake_record(
    *,
    participant: Participant,
    user,
    held_on: date,
    notes: str,
    expectations_confirmed: bool,
    commitment_confirmed: bool,
    corrected_fields: list[str],
    next_status: str,
    languages: list[str] | None = None,
    interests=None,
) -> Intake:
    """Keep the intake conversation, the answers corrected in it, and the next step."""
    with transaction.atomic():
        _save_answers(participant, languages=languages, interests=interests)
        intake = Intake.objects.create(
            participant=participant,
            held_on=held_on,
            notes=notes,
            expectations_confirmed=expectations_confirmed,
            commitment_confirmed=commitment_confirmed,
            recorded_by=user,
        )
        _set_status(participant, next_status, user=user, note="intake")
        participant.save()
        registry_audit(
            Action.INTAKE,
            user=user,
            participant_ref=participant.pk,
            detail=", ".join(sorted(corrected_fields)),
        )
    return intake


def _save_answers(participant: Participant, *, languages, interests) -> None:
    participant.save()
    if languages is not None:
        _set_languages(participant, languages)
    if interests is not None:
        participant.interests.set(interests)


def _set_languages(participant: Participant, codes) -> None:
    ParticipantLanguage.objects.filter(participant=participant).delete()
    ParticipantLanguage.objects.bulk_create(
        ParticipantLanguage(participant=participant, code=code) for code in dict.fromkeys(codes)
    )


def participant_viewed(*, participant: Participant, user) -> None:
    registry_audit(Action.VIEW, user=user, participant_ref=participant.pk)


def participants_exported(*, user, count: int, file_format: str, filters: str) -> None:
    registry_audit(
        Action.EXPORT_LIST, user=user, count=count, detail=f"{file_format}; {filters}"[:255]
    )


# --- Newsletter consent ------------------------------------------------------------


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def newsletter_confirm_token(participant: Participant) -> str:
    return signing.dumps(
        {"p": participant.pk, "e": _email_hash(participant.email)}, salt=NEWSLETTER_SALT
    )


def newsletter_confirm(*, token: str) -> Participant:
    """Turn a pending newsletter request into a recorded consent (the link in the email)."""
    try:
        payload = signing.loads(
            token, salt=NEWSLETTER_SALT, max_age=timedelta(days=NEWSLETTER_LINK_DAYS)
        )
    except signing.SignatureExpired:
        raise RegistrationError(
            _("This link is more than 30 days old. Sign up again to get a new one.")
        ) from None
    except signing.BadSignature:
        raise RegistrationError(
            _("This link is not complete. Copy the whole link from the email.")
        ) from None
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update()
            .not_anonymised()
            .filter(pk=payload.get("p"))
            .first()
        )
        if participant is None or _email_hash(participant.email) != payload.get("e"):
            raise RegistrationError(_("We could not find this sign-up. It may have been removed."))
        if participant.newsletter_status != NewsletterStatus.CONFIRMED:
            participant.newsletter_status = NewsletterStatus.CONFIRMED
            participant.save(update_fields=["newsletter_status", "updated_at"])
            last_programme_consent = participant.consents.filter(
                purpose=Consent.Purpose.PROGRAMME
            ).last()
            Consent.objects.create(
                participant=participant,
                purpose=Consent.Purpose.NEWSLETTER,
                given=True,
                text_version=last_programme_consent.text_version if last_programme_consent else "",
                method=Consent.Method.EMAIL_LINK,
                language=participant.preferred_language,
            )
            registry_audit(Action.NEWSLETTER, participant_ref=participant.pk, detail="confirmed")
    return participant


def participant_newsletter_withdraw(*, participant: Participant, method: str) -> None:
    """Stop the newsletter for this person; everything else stays as it is."""
    with transaction.atomic():
        if participant.newsletter_status == NewsletterStatus.WITHDRAWN:
            return
        participant.newsletter_status = NewsletterStatus.WITHDRAWN
        participant.save(update_fields=["newsletter_status", "updated_at"])
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.NEWSLETTER,
            given=False,
            method=method,
            language=participant.preferred_language,
        )
        registry_audit(Action.NEWSLETTER, participant_ref=participant.pk, detail="withdrawn")


def participant_newsletter_resubscribe(*, participant: Participant, method: str) -> None:
    """Start the newsletter again for someone who stopped it, from their own link."""
    with transaction.atomic():
        if participant.newsletter_status == NewsletterStatus.CONFIRMED:
            return
        participant.newsletter_status = NewsletterStatus.CONFIRMED
        participant.save(update_fields=["newsletter_status", "updated_at"])
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.NEWSLETTER,
            given=True,
            method=method,
            language=participant.preferred_language,
        )
        registry_audit(Action.NEWSLETTER, participant_ref=participant.pk, detail="resubscribed")


# --- Data protection -------------------------------------------------------------


def participant_export(*, participant: Participant, user) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data (a subject access request)."""

    def when(value):
        return value.isoformat() if isinstance(value, date | datetime) else value

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
        "duos": _duos_of(participant, when),
        "access_log": [
            {"action": event.action, "at": when(event.at), "by": event.username}
            for event in RegistryAuditEvent.objects.filter(participant_ref=participant.pk)
        ],
    }
    registry_audit(Action.EXPORT_PERSON, user=user, participant_ref=participant.pk)
    return data


def _duos_of(participant: Participant, when) -> list[dict]:
    from buddypages.duos.models import Duo

    duos = Duo.objects.filter(
        models.Q(newcomer=participant) | models.Q(volunteer=participant)
    ).prefetch_related("meetings")
    return [
        {
            "role": "newcomer" if duo.newcomer_id == participant.pk else "volunteer",
            "buddy_first_name": (
                duo.volunteer.first_name
                if duo.newcomer_id == participant.pk
                else duo.newcomer.first_name
            ),
            "start": when(duo.start_date),
            "planned_end": when(duo.planned_end),
            "status": duo.status,
            "stop_reason": duo.stop_reason,
            "introduction": duo.introduction,
            "meetings": [
                {
                    "date": when(meeting.date),
                    "minutes": meeting.minutes,
                    "activity": meeting.activity,
                    "logged_by": meeting.logged_by,
                    "confirmed": meeting.is_confirmed,
                }
                for meeting in duo.meetings.all()
            ],
        }
        for duo in duos.select_related("newcomer", "volunteer")
    ]


def _activity_signups(participant: Participant):
    from buddypages.models import ActivitySignup

    if not participant.email:
        return ActivitySignup.objects.none()
    return ActivitySignup.objects.filter(email__iexact=participant.email)


def _forget_admin_log(model, pks) -> None:
    """Wagtail's own audit log names edited objects; drop those entries."""
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).delete()


def participant_erase(*, participant: Participant, user, action: str = Action.ERASE) -> None:
    """Delete everything held about this person: the record, its history, intakes,
    consents, their activity sign-ups and the admin log entries that name them.
    The registry audit log keeps only the number and the fact of the erasure."""
    from buddypages.models import ActivitySignup

    pk = participant.pk
    with transaction.atomic():
        signups = _activity_signups(participant)
        _forget_admin_log(ActivitySignup, list(signups.values_list("pk", flat=True)))
        signups.delete()
        from buddypages.duos.models import Duo

        duos = Duo.objects.filter(models.Q(newcomer=participant) | models.Q(volunteer=participant))
        _forget_admin_log(Duo, list(duos.values_list("pk", flat=True)))
        _forget_admin_log(Participant, [pk])
        participant.delete()
        registry_audit(action, user=user, participant_ref=pk)


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
        from buddypages.duos.models import Duo, Meeting

        duos = Duo.objects.filter(models.Q(newcomer=participant) | models.Q(volunteer=participant))
        duos.update(introduction="", stop_reason="")
        Meeting.objects.filter(duo__in=duos).update(activity="")
        _forget_admin_log(Participant, [participant.pk])
        registry_audit(Action.ANONYMISE, participant_ref=participant.pk)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise ended trajectories and remove abandoned sign-ups past their time."""
    now = now or timezone.now()
    ended = Participant.objects.ended_before(
        now - timedelta(days=registry_setting("RETENTION_DAYS"))
    )
    abandoned = Participant.objects.abandoned_before(
        now - timedelta(days=registry_setting("ABANDONED_DAYS"))
    )
    counts = {"anonymised": 0, "removed": 0}
    for participant in ended.iterator():
        participant_anonymise(participant=participant)
        counts["anonymised"] += 1
    for participant in abandoned.iterator():
        participant_erase(participant=participant, user=None, action=Action.REMOVE_ABANDONED)
        counts["removed"] += 1
    window = timedelta(seconds=registry_setting("RATE_LIMIT_WINDOW_SECONDS"))
    SignupAttempt.objects.filter(at__lt=now - window).delete()
    return counts
