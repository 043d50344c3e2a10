"""The calendar page's views: parse the query, call the occurrence service, present."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from buddypages.calendar.occurrences import TIMEZONE, month_bounds, month_weeks, occurrences_between

VIEWS = ("upcoming", "month", "past")
UPCOMING_DAYS = 92
PAST_DAYS = 183


def _month_from(value: str, today) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def calendar_context(*, calendar, request) -> dict:
    view = request.GET.get("view", "upcoming")
    view = view if view in VIEWS else "upcoming"
    kinds = {code for code, _label in calendar.activity_model().KINDS}
    audiences = {code for code, _label in calendar.activity_model().AUDIENCES}
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    audience = request.GET.get("audience", "")
    audience = audience if audience in audiences else ""

    activities = calendar.public_activities(request)
    if kind:
        activities = [activity for activity in activities if activity.kind == kind]
    if audience:
        activities = [a for a in activities if a.audience in (audience, "everyone")]

    now = timezone.now()
    today = now.astimezone(TIMEZONE).date()
    context = {
        "view": view,
        "selected_kind": kind,
        "selected_audience": audience,
        "kinds": calendar.activity_model().KINDS,
        "audiences": calendar.activity_model().AUDIENCES,
    }
    if view == "month":
        year, month = _month_from(request.GET.get("month", ""), today)
        first, following = month_bounds(year, month)
        found = occurrences_between(activities, after=first, before=following)
        by_day: dict = {}
        for occurrence in found:
            by_day.setdefault(occurrence.local_date, []).append(occurrence)
        previous = (first - timedelta(days=1)).astimezone(TIMEZONE)
        context.update(
            month=first,
            weeks=[
                [(day, by_day.get(day, [])) if day else (None, []) for day in week]
                for week in month_weeks(year, month)
            ],
            occurrences=found,
            previous_month=f"{previous.year}-{previous.month:02d}",
            next_month=f"{following.year}-{following.month:02d}",
            today=today,
        )
    elif view == "past":
        found = occurrences_between(activities, after=now - timedelta(days=PAST_DAYS), before=now)
        context["occurrences"] = list(reversed(found))
    else:
        context["occurrences"] = occurrences_between(
            activities, after=now, before=now + timedelta(days=UPCOMING_DAYS)
        )
    context["empty_message"] = _("No activities here yet. Look at another month or filter.")
    return context
