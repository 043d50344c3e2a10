"""iCalendar (RFC 5545) feeds for activities: VTIMEZONE, stable UIDs, RRULE and EXDATE."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone, translation
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone, vDDDTypes, vRecur

from buddypages.calendar.occurrences import TIMEZONE, aware, is_rule_date, local, rrule_parts
from buddypages.core.memo import remembered

PRODID = "-//Buddywerking//Activities//NL"


def activity_uid(activity) -> str:
    """The same for every translation and every save of the activity."""
    return f"activity-{activity.translation_key}@buddywerking"


def rrule_text(activity) -> str:
    """The activity's recurrence as an RFC 5545 RRULE value ("FREQ=WEEKLY;..."), or ""."""
    parts = rrule_parts(activity)
    return vRecur(parts).to_ical().decode() if parts else ""


def _times(activity, start: datetime, end: datetime) -> tuple:
    if activity.all_day:
        first = start.astimezone(TIMEZONE).date()
        last = end.astimezone(TIMEZONE).date()
        return first, max(last, first) + timedelta(days=1)
    return start.astimezone(TIMEZONE), end.astimezone(TIMEZONE)


def activity_events(
    activity, *, request=None, language: str = "", stamp: datetime | None = None
) -> list[Event]:
    """The activity's VEVENT, plus one VEVENT per moved occurrence (RECURRENCE-ID).

    ``stamp``: the DTSTAMP (when the feed was made); now unless given."""
    stamp = stamp or timezone.now()
    event = Event()
    uid = activity_uid(activity)
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    text = {"LANGUAGE": language} if language else {}
    event.add("summary", activity.title, parameters=text)
    dtstart, dtend = _times(activity, activity.start, activity.end)
    event.add("dtstart", dtstart)
    event.add("dtend", dtend)
    if activity.last_published_at:
        event.add("last-modified", activity.last_published_at)
    description = strip_tags(activity.summary or "")
    url = activity.get_full_url(request)
    if url:
        event.add("url", url)
        description = f"{description}\n\n{url}".strip()
    if description:
        event.add("description", description, parameters=text)
    location = ", ".join(part for part in (activity.place_name, activity.place_address) if part)
    if location:
        event.add("location", location, parameters=text)
    with translation.override(language or None):
        event.add("categories", [str(activity.get_kind_display())], parameters=text)
    extra = []
    parts = rrule_parts(activity)
    if parts:
        event.add("rrule", parts)
        start_local, duration = local(activity.start), activity.end - activity.start
        exdates = []
        for change in activity.occurrence_changes.all():
            if not is_rule_date(activity, change.original_date):
                continue  # a date the rule never had: nothing to cancel or move
            original = (
                change.original_date
                if activity.all_day  # same value type as DTSTART (RFC 5545 3.8.5.1)
                else aware(datetime.combine(change.original_date, start_local.time()))
            )
            if change.cancelled:
                exdates.append(original)
            elif change.new_start:
                moved = Event()
                moved.add("uid", uid)
                moved.add("dtstamp", stamp)
                moved.add("recurrence-id", original)
                moved.add("summary", activity.title, parameters=text)
                new_start, new_end = _times(
                    activity, change.new_start, change.new_end or change.new_start + duration
                )
                moved.add("dtstart", new_start)
                moved.add("dtend", new_end)
                if location:
                    moved.add("location", location, parameters=text)
                extra.append(moved)
        if exdates:
            event.add("exdate", exdates)
    return [event, *extra]


def calendar_feed(activities, *, name: str, language: str, request=None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    head = calendar.to_ical()
    end = head.rindex(b"END:VCALENDAR")
    events = b"".join(
        _events_ical(activity, request=request, language=language) for activity in activities
    )
    stamp = b"DTSTAMP:" + vDDDTypes(timezone.now()).to_ical() + b"\r\n"
    events = events.replace(STAMP_PLACEHOLDER, stamp)
    # What calendar.add_missing_timezones() would add, first among the components.
    tzids = sorted({tzid.decode() for tzid in TZID_PARAMETER.findall(events)})
    timezones = b"".join(_vtimezone(tzid) for tzid in tzids)
    return head[:end] + timezones + events + head[end:]


# Serialising a VEVENT is most of a feed's work: each activity's is remembered per content
# generation with this stamp in place of DTSTAMP, which is the time of the request.
PLACEHOLDER_TIME = datetime(1970, 1, 1, tzinfo=UTC)
STAMP_PLACEHOLDER = b"DTSTAMP:19700101T000000Z\r\n"
TZID_PARAMETER = re.compile(rb"(?<!\\);TZID=([^:;]+)[:;]")


def _events_ical(activity, *, request, language: str) -> bytes:
    def serialise() -> bytes:
        events = activity_events(
            activity, request=request, language=language, stamp=PLACEHOLDER_TIME
        )
        return b"".join(event.to_ical() for event in events)

    if request is None:
        return serialise()
    key = f"ical-events:{activity.pk}:{language}:{request.get_host()}"
    return remembered(request, key, serialise)


@functools.cache
def _vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of ``tzid`` as add_missing_timezones() writes it; b"" when unknown."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""
