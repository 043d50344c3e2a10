"""Dates in the admin as dates, with how far away they are.

Wagtail's ``DateColumn`` shows a moment as "3 days ago", and any future moment as
"Just now": wrong for a duo's planned end or its midway feedback, which lie ahead.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, datetime.date) else None


def relative_day(value, *, today: datetime.date | None = None) -> str:
    """How far ``value`` lies from today, in words: "in 3 months", "2 weeks ago", "today"."""
    day = _as_date(value)
    if day is None:
        return ""
    today = today or timezone.localdate()
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta == -1:
        return _("yesterday")
    if delta > 0:
        return _("in %(time)s") % {"time": timeuntil(day, today, depth=1)}
    return _("%(time)s ago") % {"time": timesince(day, today, depth=1)}


def calendar_date(value) -> dict:
    """Context for ``buddypages/admin/date.html``: the date, ISO form and distance."""
    day = _as_date(value)
    if day is None:
        return {"day": None}
    return {
        "day": day,
        "iso": day.isoformat(),
        "text": date_format(day),
        "relative": relative_day(day),
    }


class CalendarDateColumn(Column):
    """A listing column for dates that may lie in the future (or the past)."""

    cell_template_name = "buddypages/admin/date_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(calendar_date(context["raw_value"]))
        return context
