"""An Atom 1.0 feed of the upcoming activities of one calendar, one entry per date.

Each entry says when (in the feed's language, Brussels time) and where, and whether the
date is cancelled or moved, so a social-media scheduler or the info magazine's editor can
take it as it is. Built on the tips feed's parts (:mod:`buddypages.pages.feeds`).
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from buddypages.calendar.occurrences import TIMEZONE, Occurrence, occurrences_between
from buddypages.calendar.views import UPCOMING_DAYS
from buddypages.core.locales import locale_language_code
from buddypages.pages.feeds import add_entry, entry_id, feed_response, new_feed

OCCURRENCES_IN_FEED = 50
DAY_FORMAT = "l j F Y"


def _day(value) -> str:
    return date_format(value, DAY_FORMAT)


def _day_and_time(value) -> str:
    return gettext("%(day)s, %(time)s") % {"day": _day(value), "time": value.strftime("%H:%M")}


def occurrence_when(occurrence: Occurrence) -> str:
    """'Wednesday 9 December 2026, 19:00–21:00' in the active language, Brussels time."""
    start = occurrence.start.astimezone(TIMEZONE)
    end = occurrence.end.astimezone(TIMEZONE)
    if occurrence.activity.all_day:
        # An all-day end is the last day itself (the activity's own end, not midnight after).
        if end.date() > start.date():
            return f"{_day(start)} – {_day(end)}"
        return _day(start)
    if end.date() != start.date():
        return f"{_day_and_time(start)} – {_day_and_time(end)}"
    return f"{_day_and_time(start)}–{end:%H:%M}"


def occurrence_title(occurrence: Occurrence) -> str:
    values = {"activity": occurrence.activity.title, "when": occurrence_when(occurrence)}
    if occurrence.cancelled:
        return gettext("Cancelled: %(activity)s, %(when)s") % values
    if occurrence.moved:
        return gettext("New date: %(activity)s, %(when)s") % values
    return gettext("%(activity)s, %(when)s") % values


def occurrence_summary(occurrence: Occurrence) -> str:
    """When, where, what: plain text, one fact a line."""
    activity = occurrence.activity
    lines = []
    if occurrence.cancelled:
        lines.append(gettext("This date is cancelled."))
    elif occurrence.moved and occurrence.original_date:
        lines.append(gettext("Moved from %(date)s.") % {"date": _day(occurrence.original_date)})
    lines.append(gettext("When: %(when)s") % {"when": occurrence_when(occurrence)})
    place = ", ".join(part for part in (activity.place_name, activity.place_address) if part)
    if place:
        lines.append(gettext("Where: %(place)s") % {"place": place})
    if activity.summary:
        lines += ["", activity.summary]
    return "\n".join(lines)


def occurrence_id(occurrence: Occurrence, *, language: str) -> str:
    """Stable per date: a recurring activity's date is its rule's date (a moved date keeps
    the id it had before it moved); a one-off activity keeps one id whatever its date."""
    activity = occurrence.activity
    if not activity.repeat:
        return entry_id(activity.translation_key, f"activity/{language}")
    rule_date = occurrence.original_date or occurrence.local_date
    return entry_id(activity.translation_key, f"activity/{language}/{rule_date.isoformat()}")


def activities_feed_response(calendar, request) -> HttpResponse:
    """The dates of the next months (``UPCOMING_DAYS``) of ``calendar``'s live activities,
    soonest first; cancelled dates are listed and say so."""
    language = locale_language_code(calendar.locale_id)
    now = timezone.now()
    found = occurrences_between(
        list(calendar.activities()),
        after=now,
        before=now + timedelta(days=UPCOMING_DAYS),
        include_cancelled=True,
    )[:OCCURRENCES_IN_FEED]
    with translation.override(language):
        feed = new_feed(
            page=calendar,
            request=request,
            title=calendar.title,
            subtitle=calendar.intro,
            language=language,
        )
        for occurrence in found:
            activity = occurrence.activity
            add_entry(
                feed,
                title=occurrence_title(occurrence),
                link=activity.get_full_url(request),
                unique_id=occurrence_id(occurrence, language=language),
                published=activity.first_published_at,
                updated=activity.last_published_at or activity.first_published_at,
                summary=occurrence_summary(occurrence),
                categories=[
                    (activity.kind, activity.get_kind_display()),
                    (activity.audience, activity.get_audience_display()),
                ],
            )
    return feed_response(feed)
