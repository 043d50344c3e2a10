"""Activity occurrences: recurrence rules expanded in Brussels time, and iCalendar feeds.

Recurrences are expanded on local wall-clock times and localised afterwards,
so a weekly 19:00 activity stays at 19:00 across the daylight-saving changes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

TIMEZONE = ZoneInfo("Europe/Brussels")
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Occurrence:
    activity: object  # an ActivityPage
    start: datetime  # aware, Europe/Brussels
    end: datetime
    moved: bool = False
    cancelled: bool = False  # only listed when asked for (``include_cancelled``)
    original_date: date | None = None  # the rule's date, for a moved or cancelled one

    @property
    def local_date(self) -> date:
        return self.start.astimezone(TIMEZONE).date()

    # What the calendar's list shows of a date, worked out here rather than with template
    # filters: a calendar of twenty dates spent most of its time in them.
    @property
    def datetime_attribute(self) -> str:
        """``start`` for ``<time datetime>``, as ``|date:'Y-m-d\\TH:i:sO'`` writes it."""
        return timezone.localtime(self.start).strftime("%Y-%m-%dT%H:%M:%S%z")

    @property
    def when(self) -> str:
        """The day in the active language, with the times unless the activity lasts all day:
        "woensdag 9 december 2026, 19:00–21:00"."""
        start = timezone.localtime(self.start)
        day = _day_label(translation.get_language(), start.date())
        if self.activity.all_day:
            return day
        end = timezone.localtime(self.end)
        times = {"day": day, "time": f"{start:%H:%M}"}
        return f"{gettext('%(day)s, %(time)s') % times}–{end:%H:%M}"


@functools.lru_cache(maxsize=2048)
def _day_label(language: str | None, day: date) -> str:
    """``day`` as ``|date:"l j F Y"`` writes it in ``language`` (the active one)."""
    return date_format(day, "l j F Y")


def local(value: datetime) -> datetime:
    """An aware datetime as naive Brussels wall-clock time."""
    return value.astimezone(TIMEZONE).replace(tzinfo=None)


def aware(naive: datetime) -> datetime:
    return naive.replace(tzinfo=TIMEZONE)


def nth_weekday_of_month(day: date) -> int:
    """2 for the second Wednesday; -1 when it is the last one of its month."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def rrule_parts(activity) -> dict | None:
    """The recurrence of ``activity`` as RFC 5545 RRULE parts, or None."""
    if not activity.repeat:
        return None
    start = local(activity.start)
    parts: dict = {"INTERVAL": max(activity.repeat_interval or 1, 1)}
    if activity.repeat == "weekly":
        parts.update(FREQ="WEEKLY", BYDAY=ICAL_WEEKDAYS[start.weekday()])
    elif activity.repeat == "monthly_weekday":
        nth = nth_weekday_of_month(start.date())
        parts.update(FREQ="MONTHLY", BYDAY=f"{nth:+d}{ICAL_WEEKDAYS[start.weekday()]}")
    elif activity.repeat == "monthly_day":
        parts.update(FREQ="MONTHLY", BYMONTHDAY=start.day)
    if activity.repeat_count:
        parts["COUNT"] = activity.repeat_count
    else:
        # Without a count or a last date the activity repeats for a year (as the
        # editor's help text says), never for ever.
        last = activity.repeat_until or (start.date() + timedelta(days=DEFAULT_REPEAT_DAYS))
        if activity.all_day:
            parts["UNTIL"] = last  # a DATE, like an all-day DTSTART (RFC 5545 3.3.10)
        else:
            # UNTIL in UTC when DTSTART has a time zone (RFC 5545 3.3.10).
            until = aware(datetime.combine(last, time(23, 59, 59)))
            parts["UNTIL"] = until.astimezone(ZoneInfo("UTC"))
    return parts


DEFAULT_REPEAT_DAYS = 365

NTH_WEEKDAY = {
    1: gettext_lazy("the first %(weekday)s"),
    2: gettext_lazy("the second %(weekday)s"),
    3: gettext_lazy("the third %(weekday)s"),
    4: gettext_lazy("the fourth %(weekday)s"),
    -1: gettext_lazy("the last %(weekday)s"),
}


def recurrence_in_words(activity) -> str:
    """How the activity repeats, in the active language ("Every week on Wednesday, 10
    times"); empty when it does not repeat. Says the same as :func:`rrule_parts`."""
    if not activity.repeat:
        return ""
    start = local(activity.start)
    every = max(activity.repeat_interval or 1, 1)
    weekday = WEEKDAY_NAMES[start.weekday()]
    if activity.repeat == "weekly":
        rule = ngettext(
            "Every week on %(weekday)s", "Every %(count)d weeks on %(weekday)s", every
        ) % {"count": every, "weekday": weekday}
    else:
        if activity.repeat == "monthly_weekday":
            day = NTH_WEEKDAY[nth_weekday_of_month(start.date())] % {"weekday": weekday}
        else:
            day = gettext("day %(day)d") % {"day": start.day}
        rule = ngettext("Every month on %(day)s", "Every %(count)d months on %(day)s", every) % {
            "count": every,
            "day": day,
        }
    if activity.repeat_count:
        return ngettext(
            "%(rule)s, %(count)d time", "%(rule)s, %(count)d times", activity.repeat_count
        ) % {
            "rule": rule,
            "count": activity.repeat_count,
        }
    last = activity.repeat_until or (start.date() + timedelta(days=DEFAULT_REPEAT_DAYS))
    return gettext("%(rule)s, until %(date)s") % {
        "rule": rule,
        "date": date_format(last, "DATE_FORMAT"),
    }


def _rule(activity, start: datetime) -> rrule.rrule:
    parts = rrule_parts(activity)
    kwargs = {"dtstart": start, "interval": parts["INTERVAL"]}
    if parts["FREQ"] == "WEEKLY":
        kwargs["byweekday"] = WEEKDAYS[start.weekday()]
        freq = rrule.WEEKLY
    else:
        freq = rrule.MONTHLY
        if "BYDAY" in parts:
            kwargs["byweekday"] = WEEKDAYS[start.weekday()](nth_weekday_of_month(start.date()))
        else:
            kwargs["bymonthday"] = start.day
    if "COUNT" in parts:
        kwargs["count"] = parts["COUNT"]
    elif isinstance(parts["UNTIL"], datetime):
        kwargs["until"] = local(parts["UNTIL"])
    else:
        kwargs["until"] = datetime.combine(parts["UNTIL"], time(23, 59, 59))
    return rrule.rrule(freq, **kwargs)


def is_rule_date(activity, day: date) -> bool:
    """Whether the activity's rule (before changes) has an occurrence on ``day``."""
    start = local(activity.start)
    if not activity.repeat:
        return start.date() == day
    first = datetime.combine(day, time())
    return bool(_rule(activity, start).between(first, first + timedelta(days=1), inc=True))


MAX_OCCURRENCES = getattr(settings, "BUDDYPAGES_MAX_OCCURRENCES", 400)


def occurrences(
    activity, *, after: datetime, before: datetime, include_cancelled: bool = False
) -> list[Occurrence]:
    """Occurrences of ``activity`` that overlap [after, before), in time order.

    Cancelled occurrences are left out (with ``include_cancelled``: listed at their usual
    time, marked ``cancelled``); moved ones appear at their new time, marked ``moved``.
    Uses ``activity.occurrence_changes.all()`` (prefetch it for many activities).
    """
    start, end = local(activity.start), local(activity.end)
    duration = end - start
    changes = {change.original_date: change for change in activity.occurrence_changes.all()}
    if activity.repeat:
        # Look back by the duration so activities already under way are included.
        starts = _rule(activity, start).between(local(after) - duration, local(before), inc=True)[
            :MAX_OCCURRENCES
        ]
    else:
        starts = [start]
    found = []
    seen_dates = set()
    for naive_start in starts:
        seen_dates.add(naive_start.date())
        change = changes.get(naive_start.date())
        if change is not None and change.cancelled:
            if not include_cancelled:
                continue
            occurrence = Occurrence(
                activity,
                aware(naive_start),
                aware(naive_start + duration),
                cancelled=True,
                original_date=naive_start.date(),
            )
        elif change is not None and change.new_start:
            occurrence = Occurrence(
                activity,
                change.new_start.astimezone(TIMEZONE),
                (change.new_end or change.new_start + duration).astimezone(TIMEZONE),
                moved=True,
                original_date=naive_start.date(),
            )
        else:
            occurrence = Occurrence(activity, aware(naive_start), aware(naive_start + duration))
        if occurrence.end > after and occurrence.start < before:
            found.append(occurrence)
    # Dates moved into the window from outside it.
    for original, change in changes.items():
        if original in seen_dates or change.cancelled or not change.new_start:
            continue
        new_end = change.new_end or change.new_start + duration
        if new_end > after and change.new_start < before and is_rule_date(activity, original):
            found.append(
                Occurrence(
                    activity,
                    change.new_start.astimezone(TIMEZONE),
                    new_end.astimezone(TIMEZONE),
                    moved=True,
                    original_date=original,
                )
            )
    return sorted(found, key=lambda o: o.start)


def occurrences_between(
    activities, *, after: datetime, before: datetime, include_cancelled: bool = False
) -> list[Occurrence]:
    """All occurrences of ``activities`` in [after, before), sorted by start."""
    found = [
        o
        for activity in activities
        for o in occurrences(
            activity, after=after, before=before, include_cancelled=include_cancelled
        )
    ]
    return sorted(found, key=lambda o: (o.start, o.activity.pk))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = aware(datetime(year, month, 1))
    following = aware(datetime(year + (month == 12), month % 12 + 1, 1))
    return first, following


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month as weeks of seven days, Monday first; None outside the month."""
    first = date(year, month, 1)
    days_in_month = (date(year + (month == 12), month % 12 + 1, 1) - first).days
    weeks: list[list[date | None]] = []
    week: list[date | None] = [None] * first.weekday()
    for offset in range(days_in_month):
        week.append(first + timedelta(days=offset))
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks
