"""Registry workflows: sign up, change, intake, newsletter consent (export, erasure and
retention: ``data_protection``).

Every write that touches personal data goes through here, and each one leaves
a row in the registry audit log (who, what, which participant number).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from buddypages.pages.models import ProgrammePage
from buddypages.pages.snippets import Interest
from buddypages.registry.audit import Action, registry_audit
from buddypages.registry.choices import (
    ENDED_STATUSES,
    NewsletterStatus,
    Role,
    Status,
    availability_mask,
)
from buddypages.registry.conf import registry_setting
from buddypages.registry.models import (
    Consent,
    Intake,
    Participant,
    ParticipantLanguage,
    SignupAttempt,
    StatusChange,
)
from buddypages.registry.tasks import queue_newsletter_confirm_email, queue_registration_email
from buddypages.registry.tokens import email_hash, newsletter_token_read
from buddypages.registry.volunteer_services import volunteer_status_changed

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
    # A volunteer's information note and insurance follow the pipeline.
    volunteer_status_changed(participant=participant, status=status, user=user)


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
    programme = page.get_parent().specific
    if not isinstance(programme, ProgrammePage):
        raise RegistrationError(_("This sign-up form is not part of a programme."))
    source = ProgrammePage.objects.filter(
        translation_key=programme.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return source or programme


def _interests_by_key(keys) -> list:
    """The source-language interest for each key (a tick means the same in every language)."""
    chosen = {}
    for interest in Interest.objects.filter(key__in=keys).select_related("locale"):
        if interest.key not in chosen or interest.locale.language_code == settings.LANGUAGE_CODE:
            chosen[interest.key] = interest
    return list(chosen.values())


def participant_register(
    *,
    page,
    data: dict[str, Any],
    language: str,
    client: str | None = None,
    method: str = Consent.Method.WEB_FORM,
    origin: str = "",
) -> Participant:
    """Write a valid sign-up to the registry, in one transaction, before any email.

    A second sign-up with the same email for the same programme and role
    updates that person's record (and counts it) instead of adding another.
    ``method`` and ``origin`` go into the consent ledger: the site's own form, or the API
    with the website that sent it.
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
                    programme=programme,
                    page=page,
                    email=email,
                    data=data,
                    language=language,
                    method=method,
                    origin=origin,
                )
            break
        except IntegrityError:
            # Someone sent the same email at the same moment (PostgreSQL):
            # their row exists now, so the next try updates it.
            if attempt == 2:
                raise
    transaction.on_commit(lambda: queue_registration_email(participant.pk))
    return participant


def _register(*, programme, page, email, data, language, method, origin) -> Participant:
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
        method=method,
        language=language,
        origin=origin[:255],
    )
    registry_audit(
        Action.REGISTER,
        participant=participant,
        detail="new" if is_new else f"signed up again ({participant.signup_count} times)",
    )
    return participant


def _privacy_version(page) -> str:
    revision = page.live_revision_id or page.latest_revision_id
    return f"{page.privacy_version} (page {page.pk}, revision {revision})"


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
            participant=participant,
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
            participant=participant,
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
    registry_audit(Action.VIEW, user=user, participant=participant)


def participants_exported(
    *, user, counts: dict[int | None, int], file_format: str, filters: str
) -> None:
    """One audit entry per municipality whose people are in the exported list (``counts``:
    rows by site id), so each municipality reads its own exports in its audit log."""
    for site_id, count in sorted(counts.items(), key=lambda item: item[0] or 0) or [(None, 0)]:
        registry_audit(
            Action.EXPORT_LIST,
            user=user,
            count=count,
            detail=f"{file_format}; {filters}"[:255],
            site_id=site_id,
        )


# --- Newsletter consent ------------------------------------------------------------


def newsletter_confirm(*, token: str) -> Participant:
    """Turn a pending newsletter request into a recorded consent (the link in the email)."""
    try:
        payload = newsletter_token_read(token)
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
        if participant is None or email_hash(participant.email) != payload.get("e"):
            raise RegistrationError(_("We could not find this sign-up. It may have been removed."))
        if participant.newsletter_status != NewsletterStatus.CONFIRMED:
            participant.newsletter_status = NewsletterStatus.CONFIRMED
            participant.save(update_fields=["newsletter_status", "updated_at"])
            last_programme_consent = participant.consents.filter(
                purpose=Consent.Purpose.PROGRAMME
            ).last()
            method = payload.get("m")
            Consent.objects.create(
                participant=participant,
                purpose=Consent.Purpose.NEWSLETTER,
                given=True,
                text_version=last_programme_consent.text_version if last_programme_consent else "",
                # Asked for through the API: the ledger says so, and from which website.
                method=method if method in Consent.Method.values else Consent.Method.EMAIL_LINK,
                language=participant.preferred_language,
                origin=str(payload.get("o", ""))[:255],
            )
            registry_audit(Action.NEWSLETTER, participant=participant, detail="confirmed")
    return participant


def participant_newsletter_withdraw(
    *, participant: Participant, method: str, origin: str = ""
) -> None:
    """Stop the newsletter for this person; everything else stays as it is.

    It stops for the address, not only the record: someone who asked for the newsletter
    as a reader and later signed up (two records, one address) gets it from neither.
    """
    with transaction.atomic():
        same_address = (
            Participant.objects.not_anonymised()
            .filter(programme_key=participant.programme_key, email=participant.email)
            .exclude(pk=participant.pk)
            .exclude(newsletter_status=NewsletterStatus.WITHDRAWN)
            if participant.email
            else Participant.objects.none()
        )
        for person in [participant, *same_address]:
            if person.newsletter_status == NewsletterStatus.WITHDRAWN:
                continue
            person.newsletter_status = NewsletterStatus.WITHDRAWN
            person.save(update_fields=["newsletter_status", "updated_at"])
            Consent.objects.create(
                participant=person,
                purpose=Consent.Purpose.NEWSLETTER,
                given=False,
                method=method,
                language=person.preferred_language,
                origin=origin[:255],
            )
            registry_audit(Action.NEWSLETTER, participant=person, detail="withdrawn")


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
        registry_audit(Action.NEWSLETTER, participant=participant, detail="resubscribed")


def client_rate_limited(client: str | None) -> bool:
    """Count one attempt from ``client`` (:func:`client_key`) at a public form that has no
    registry write of its own (an activity sign-up, a newsletter request through the API);
    True when that address sent too many in the window. Shares the sign-ups' limit."""
    with transaction.atomic():
        return _rate_limited(client)


def site_programmes(site):
    """The live programmes under ``site`` (its root page in any language), in the source
    language, in tree order; ``site`` None: the default site."""
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return ProgrammePage.objects.none()
    roots = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
        "path", flat=True
    )
    under_site = Q()
    for path in roots:
        under_site |= Q(path__startswith=path)
    if not under_site:
        return ProgrammePage.objects.none()
    return (
        ProgrammePage.objects.live()
        .filter(under_site, locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )


def newsletter_subscribe(
    *,
    email: str,
    language: str,
    client: str | None = None,
    site=None,
    method: str = Consent.Method.API,
    origin: str = "",
) -> list[Participant]:
    """Ask for the newsletter: double opt-in, for anyone.

    Someone the registry knows in a programme of ``site`` (not anonymised, not yet receiving
    the newsletter) gets the confirmation email, in ``language``. An unknown address becomes
    a *reader* (role "newsletter only": the address and the language, no name, outside the
    intake, matching and figures) in the site's first programme, waiting for confirmation;
    a reader who asks again gets the email again. Nothing is received until the person
    follows the link (``newsletter_confirm`` records the consent then, with ``method`` and
    ``origin``); readers who never confirm are removed by the retention run. The caller
    answers the same in every case, so nobody learns who is in the registry. Returns whom
    the email went to (for tests and logs: numbers, never addresses).
    """
    if client_rate_limited(client):
        raise RegistrationError(
            _("We received many sign-ups from your connection. Please try again in an hour."),
            status=429,
        )
    email = email.strip().lower()
    programmes = site_programmes(site)
    programme = programmes.first()
    if programme is None:
        return []  # a site without a programme has no registry to keep anyone in
    keys = list(programmes.values_list("translation_key", flat=True))
    with transaction.atomic():
        known = Participant.objects.not_anonymised().filter(programme_key__in=keys, email=email)
        people = list(
            known.exclude(newsletter_status=NewsletterStatus.CONFIRMED).order_by(
                "-last_signup_at", "-pk"
            )[:1]
        )
        if not people and not known.exists():
            people = [_reader_add(programme=programme, email=email, language=language)]
        for participant in people:
            if participant.is_reader:
                # A new link, a new 30 days; a reader who had stopped it waits again.
                participant.newsletter_status = NewsletterStatus.PENDING
                participant.preferred_language = language
                participant.last_signup_at = timezone.now()
                participant.save(
                    update_fields=[
                        "newsletter_status",
                        "preferred_language",
                        "last_signup_at",
                        "updated_at",
                    ]
                )
            registry_audit(Action.NEWSLETTER, participant=participant, detail="requested")
            transaction.on_commit(
                lambda pk=participant.pk: queue_newsletter_confirm_email(
                    pk, language=language, method=method, origin=origin
                )
            )
    return people


def _reader_add(*, programme, email: str, language: str) -> Participant:
    """A newsletter-only reader: an address and a language, nothing more."""
    try:
        with transaction.atomic():
            reader = Participant.objects.create(
                programme=programme,
                programme_key=programme.translation_key,
                role=Role.READER,
                status="",  # outside the pipeline
                first_name="",
                last_name="",
                email=email,
                preferred_language=language,
                form_language=language,
                newsletter_status=NewsletterStatus.PENDING,
            )
    except IntegrityError:
        # The same address at the same moment (PostgreSQL): that request's row exists now.
        return Participant.objects.readers().get(
            programme_key=programme.translation_key, email=email
        )
    registry_audit(Action.REGISTER, participant=reader, detail="newsletter only")
    return reader
