"""Volunteer trainings in the Wagtail admin: the trainings and their dates, and per date the
attendance sheet (one click per volunteer). Coordinators only; personal data."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.pages import ActivityPage
from buddypages.core.numbers import as_id
from buddypages.core.permissions import require as _require
from buddypages.pages.access import seal
from buddypages.registry import training

VIEW = "buddypages.view_trainingattendance"
MANAGE = "buddypages.add_trainingattendance"
ICON = "group"


def stamp(moment: datetime) -> int:
    """A date of a training in its address: seconds since 1970 (UTC)."""
    return int(moment.timestamp())


def _activity(request, pk: int) -> ActivityPage:
    return get_object_or_404(
        training.training_activities(request.user).prefetch_related("occurrence_changes"),
        pk=pk,
    )


def training_index(request):
    _require(request, VIEW)
    now = timezone.now()
    items = [
        {
            "activity": activity,
            "topic": training.topic_label(activity.training_topic),
            "dates": [
                {"occurrence": o, "stamp": stamp(o.start), "past": o.start <= now}
                for o in training.training_dates(activity, now=now)
            ],
        }
        for activity in training.training_pages(request.user)
    ]
    return TemplateResponse(
        request,
        "buddypages/registry/admin/training_index.html",
        {"items": items, "page_title": _("Trainings"), "header_icon": ICON},
    )


def training_date(request, pk: int, start: int):
    _require(request, VIEW)
    activity = _activity(request, pk)
    try:
        moment = datetime.fromtimestamp(start, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise Http404 from None
    occurrence = training.training_occurrence(activity, moment)
    if occurrence is None:
        raise Http404
    if request.method == "POST":
        _require(request, MANAGE)
        volunteer = (
            seal(training.site_volunteers(activity), request.user)
            .filter(pk=as_id(request.POST.get("volunteer")))
            .first()
        )
        signup = None
        if request.POST.get("signup"):
            signup = (
                seal(ActivitySignup.objects, request.user)
                .filter(
                    pk=as_id(request.POST.get("signup")),
                    activity__translation_key=activity.translation_key,
                )
                .first()
            )
        attended = request.POST.get("action") != "undo"
        if volunteer is None:
            messages.error(request, _("Choose a volunteer."))
        else:
            try:
                training.training_attendance_set(
                    activity=activity,
                    occurrence_start=occurrence.start,
                    participant=volunteer,
                    attended=attended,
                    user=request.user,
                    signup=signup,
                )
            except training.TrainingError as error:
                messages.error(request, error.message)
            else:
                message = (
                    _("%(name)s came to this training.")
                    if attended
                    else _("%(name)s is no longer recorded for this date.")
                )
                messages.success(request, message % {"name": volunteer.full_name})
        return redirect(request.path)
    sheet = training.date_sheet(activity, occurrence)
    return TemplateResponse(
        request,
        "buddypages/registry/admin/training_date.html",
        {
            "sheet": sheet,
            "activity": activity,
            "occurrence": occurrence,
            "topic": training.topic_label(activity.training_topic),
            "can_manage": request.user.has_perm(MANAGE),
            "index_url": reverse("training_index"),
            "page_title": _("Attendance"),
            "page_subtitle": activity.title,
            "header_icon": ICON,
        },
    )


def urlpatterns() -> list:
    return [
        path("trainings/", training_index, name="training_index"),
        path("trainings/<int:pk>/<int:start>/", training_date, name="training_date"),
    ]
