"""Reads of the calendar that other apps (the newsletter) need."""

from buddypages.calendar.occurrences import occurrences_between
from buddypages.calendar.pages import ActivityPage


def upcoming_activity_occurrences(*, locale, after, before, audiences, limit: int):
    """Dates of live activities in ``locale`` between ``after`` and ``before`` for one of
    ``audiences`` (e.g. ("everyone", "newcomers")), soonest first."""
    activities = ActivityPage.objects.live().filter(locale=locale, audience__in=audiences)
    return occurrences_between(activities, after=after, before=before)[:limit]
