"""Reads of the calendar that other apps (the newsletter) need."""

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import Occurrence, occurrences_between
from buddypages.calendar.pages import ActivityPage


def upcoming_activity_occurrences(*, locale, after, before, audiences, limit: int | None):
    """Dates of live activities in ``locale`` that start between ``after`` and ``before``
    for one of ``audiences`` (e.g. ("everyone", "newcomers")), soonest first. A date already
    under way at ``after`` is not upcoming: a newsletter sent at ten does not announce the
    walk that began at nine."""
    activities = ActivityPage.objects.live().filter(locale=locale, audience__in=audiences)
    found = occurrences_between(activities, after=after, before=before)
    return [o for o in found if o.start >= after][:limit]


def occurrence_places_left(found: list[Occurrence]) -> list[int | None]:
    """For each occurrence, the places still free (capacity minus confirmed sign-ups, never
    below 0); None when the activity has no limit or the date is cancelled. One query."""
    limited = [o for o in found if o.activity.capacity is not None and not o.cancelled]
    taken = (
        ActivitySignup.objects.filter(
            activity__translation_key__in={o.activity.translation_key for o in limited},
            occurrence_start__in={o.start for o in limited},
        ).places_taken()
        if limited
        else {}
    )
    return [
        max(o.activity.capacity - taken.get((o.activity.translation_key, o.start), 0), 0)
        if o.activity.capacity is not None and not o.cancelled
        else None
        for o in found
    ]
