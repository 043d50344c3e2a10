"""Workflows that write several models or talk to the outside world."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import occurrences
from buddypages.calendar.tasks import send_signup_email

# ``activity`` below is an ActivityPage (buddypages.calendar.pages): its page routes call
# these services, so this module cannot import it.


class SignupError(Exception):
    """A sign-up or cancellation that cannot be done; ``message`` says why, translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _lock_activity(activity: Page) -> None:
    """Serialise sign-ups for one activity in all its languages (PostgreSQL row
    locks, in a fixed order; SQLite's IMMEDIATE transactions already serialise writers)."""
    list(
        Page.objects.select_for_update()
        .filter(translation_key=activity.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _places_taken(activity: Page, start: datetime) -> int:
    taken = ActivitySignup.objects.for_occurrence(activity, start).places_taken()
    return taken.get((activity.translation_key, start), 0)


def activity_occurrence_start(*, activity: Page, start: datetime) -> datetime:
    """``start`` if the activity really takes place then, in the future; else SignupError."""
    if start <= timezone.now():
        raise SignupError(_("This date has passed. Choose a date in the future."))
    window = occurrences(
        activity, after=start - timedelta(seconds=1), before=start + timedelta(seconds=1)
    )
    if not any(occurrence.start == start for occurrence in window):
        raise SignupError(_("The activity does not take place on this date. Choose another date."))
    return start


def activity_signup_create(
    *,
    activity: Page,
    occurrence_start: datetime,
    name: str,
    email: str,
    places: int,
    language: str,
) -> ActivitySignup:
    """Sign someone (or a duo: two places) up; over capacity they join the waiting list.

    The capacity is checked and the row written in one locked transaction, so
    simultaneous sign-ups never overbook. Signing up again with the same email
    for the same date returns the existing sign-up. The confirmation email is
    queued only after the sign-up is committed.
    """
    if activity.capacity is None:
        raise SignupError(_("You do not need to sign up for this activity. Just come along."))
    if places not in (1, 2):
        raise SignupError(_("Sign up for one or two places."))
    if places > activity.capacity:
        raise SignupError(_("There are not enough places for two people."))
    activity_occurrence_start(activity=activity, start=occurrence_start)
    email = email.strip().lower()
    with transaction.atomic():
        _lock_activity(activity)
        existing = (
            ActivitySignup.objects.for_occurrence(activity, occurrence_start)
            .filter(email=email)
            .exclude(status=ActivitySignup.CANCELLED)
            .first()
        )
        if existing is not None:
            # Signed up before (maybe lost the email): send it again, book nothing new.
            transaction.on_commit(lambda: _queue_email(existing.pk, "signed_up"))
            return existing
        free = activity.capacity - _places_taken(activity, occurrence_start)
        signup = ActivitySignup.objects.create(
            activity=activity,
            occurrence_start=occurrence_start,
            name=name.strip(),
            email=email,
            places=places,
            language=language,
            status=ActivitySignup.CONFIRMED if places <= free else ActivitySignup.WAITING,
        )
        transaction.on_commit(lambda: _queue_email(signup.pk, "signed_up"))
    return signup


def activity_signup_cancel(*, token) -> ActivitySignup:
    """Cancel by the link in the email; promote from the waiting list into freed places."""
    with transaction.atomic():
        signup = ActivitySignup.objects.filter(token=token).select_related("activity").first()
        if signup is None:
            raise SignupError(_("We could not find this sign-up. The link may be incomplete."))
        _lock_activity(signup.activity)
        signup.refresh_from_db()
        if signup.status == ActivitySignup.CANCELLED:
            raise SignupError(
                _("This sign-up was already cancelled. You do not need to do anything.")
            )
        was_holding = signup.status == ActivitySignup.CONFIRMED
        signup.status = ActivitySignup.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
        still_ahead = signup.occurrence_start > timezone.now()
        can_promote = was_holding and still_ahead and signup.activity.capacity is not None
        promoted = _promote_waiting(signup.activity, signup.occurrence_start) if can_promote else []
        for promoted_id in promoted:
            transaction.on_commit(lambda pk=promoted_id: _queue_email(pk, "promoted"))
    return signup


def _promote_waiting(activity: Page, start: datetime) -> list[int]:
    """Fill freed places from the waiting list, first come first served; a duo
    that does not fit lets a single person behind it go first."""
    free = activity.capacity - _places_taken(activity, start)
    promoted = []
    for waiting in ActivitySignup.objects.for_occurrence(activity, start).waiting():
        if free <= 0:
            break
        if waiting.places <= free:
            waiting.status = ActivitySignup.CONFIRMED
            waiting.save(update_fields=["status"])
            free -= waiting.places
            promoted.append(waiting.pk)
    return promoted


def _queue_email(signup_id: int, event: str) -> None:
    send_signup_email.enqueue(signup_id=signup_id, event=event)
