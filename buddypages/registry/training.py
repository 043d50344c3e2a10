"""Volunteer trainings: attendance recorded from an activity's sign-ups, and who still
misses the basic training. Owner: the training feature.

A training is an activity of kind "volunteer training" (``buddypages.calendar``), in every
language (its translation key). What a volunteer attended is a ``TrainingAttendance`` row
per date: personal data, erased with the volunteer, in their data export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import Occurrence, occurrences
from buddypages.calendar.pages import ActivityPage
from buddypages.pages.access import seal_pages
from buddypages.registry.audit import Action, registry_audit
from buddypages.registry.choices import Role
from buddypages.registry.models import Participant
from buddypages.registry.volunteering import TrainingAttendance

TRAINING_KIND = "volunteer_training"
BASIC = "basic"
# How far ahead the coordinator's list of a training's dates reaches.
DATES_AHEAD = timedelta(days=366)


class TrainingError(Exception):
    """A refusal the coordinator reads (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def topic_label(topic: str) -> str:
    return str(dict(ActivityPage.TRAINING_TOPICS).get(topic, _("No topic")))


# --- Who still misses the basic training -----------------------------------------------


def volunteers_without_basic_training(pks) -> set[int]:
    """The volunteers among ``pks`` with no attendance of a basic training (any date, any
    language). Matching asks this only when the programme requires the basic training."""
    pks = set(pks)
    if not pks:
        return set()
    trained = TrainingAttendance.objects.filter(participant_id__in=pks, topic=BASIC).values_list(
        "participant_id", flat=True
    )
    return set(
        Participant.objects.filter(pk__in=pks, role=Role.VOLUNTEER)
        .exclude(pk__in=trained)
        .values_list("pk", flat=True)
    )


# --- The trainings and their dates -------------------------------------------------------


def training_activities(user=None):
    """The volunteer trainings' pages (every language): of the sites ``user`` may see."""
    pages = ActivityPage.objects.filter(kind=TRAINING_KIND)
    return pages if user is None else seal_pages(pages, user)


def training_pages(user=None):
    """Every volunteer training once (in the site's language where it has one), newest
    first, of the sites ``user`` may see. Drafts too: a coordinator records a date whatever
    the page's state."""
    pages = (
        training_activities(user)
        .select_related("locale")
        .prefetch_related("occurrence_changes")
        .order_by("-start", "pk")
    )
    chosen: dict = {}
    for page in pages:
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == settings.LANGUAGE_CODE
            and current.locale.language_code != settings.LANGUAGE_CODE
        ):
            chosen[page.translation_key] = page
    return sorted(chosen.values(), key=lambda page: (-page.start.timestamp(), page.pk))


def training_dates(activity: ActivityPage, *, now: datetime | None = None) -> list[Occurrence]:
    """The training's dates, past and coming (a year ahead), in time order."""
    now = now or timezone.now()
    first = activity.start - timedelta(days=31)  # a first date moved earlier still shows
    found = occurrences(activity, after=first, before=now + DATES_AHEAD)
    return found


def training_occurrence(activity: ActivityPage, start: datetime) -> Occurrence | None:
    """The date of ``activity`` that starts at ``start``, or None (cancelled, or no such date)."""
    for occurrence in occurrences(
        activity, after=start - timedelta(seconds=1), before=start + timedelta(seconds=1)
    ):
        if occurrence.start == start:
            return occurrence
    return None


# --- One date: sign-ups matched to volunteers ---------------------------------------------


@dataclass
class SignupRow:
    """A sign-up for the date, with the volunteer it belongs to (or why there is none)."""

    signup: ActivitySignup
    volunteer: Participant | None = None
    attendance: TrainingAttendance | None = None
    problem: str = ""


@dataclass
class DateSheet:
    """The attendance sheet of one training date, for the coordinator."""

    activity: ActivityPage
    occurrence: Occurrence
    rows: list[SignupRow] = field(default_factory=list)
    # Recorded without a matching sign-up ("came without signing up").
    walk_ins: list[TrainingAttendance] = field(default_factory=list)
    addable: list[Participant] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return self.occurrence.start <= timezone.now()

    @property
    def attended_count(self) -> int:
        return sum(1 for row in self.rows if row.attendance) + len(self.walk_ins)


def site_volunteers(activity: ActivityPage):
    """The volunteers who may be recorded for ``activity``: those of its site."""
    return Participant.objects.not_anonymised().filter(
        role=Role.VOLUNTEER, site=activity.get_site()
    )


def date_sheet(activity: ActivityPage, occurrence: Occurrence) -> DateSheet:
    """The date's sign-ups (every language), matched by e-mail address (case does not
    count) to volunteers in the registry of the activity's site, with what is recorded
    already."""
    sheet = DateSheet(activity=activity, occurrence=occurrence)
    site = activity.get_site()
    signups = list(
        ActivitySignup.objects.for_occurrence(activity, occurrence.start).order_by(
            "status", "name", "pk"
        )
    )
    recorded = {
        attendance.participant_id: attendance
        for attendance in TrainingAttendance.objects.filter(
            activity_key=activity.translation_key,
            occurrence_start=occurrence.start,
            participant__site=site,
        ).select_related("participant")
    }
    emails = {signup.email.lower() for signup in signups}
    people: dict[str, list[Participant]] = {}
    for person in (
        Participant.objects.not_anonymised()
        .filter(site=site)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .order_by("pk")
    ):
        people.setdefault(person.email_lower, []).append(person)
    matched: set[int] = set()
    for signup in signups:
        row = SignupRow(signup=signup)
        found = people.get(signup.email.lower(), [])
        volunteers = [person for person in found if person.role == Role.VOLUNTEER]
        if len(volunteers) == 1:
            row.volunteer = volunteers[0]
            row.attendance = recorded.get(row.volunteer.pk)
            matched.add(row.volunteer.pk)
        elif len(volunteers) > 1:
            row.problem = gettext(
                "Several volunteers have this e-mail address: add the right one below."
            )
        elif found:
            row.problem = gettext(
                "This e-mail address belongs to a newcomer or a newsletter reader, not to a "
                "volunteer."
            )
        else:
            row.problem = gettext(
                "No volunteer in the registry has this e-mail address. If they are one, "
                "add them below; otherwise they cannot be recorded."
            )
        sheet.rows.append(row)
    sheet.walk_ins = [attendance for pk, attendance in recorded.items() if pk not in matched]
    sheet.walk_ins.sort(key=lambda attendance: attendance.participant.full_name.lower())
    sheet.addable = list(
        site_volunteers(activity)
        .exclude(pk__in=recorded.keys())
        .order_by("first_name", "last_name", "pk")
    )
    return sheet


# --- Recording ----------------------------------------------------------------------------


def training_attendance_set(
    *,
    activity: ActivityPage,
    occurrence_start: datetime,
    participant: Participant,
    attended: bool,
    user,
    signup: ActivitySignup | None = None,
) -> TrainingAttendance | None:
    """Record that ``participant`` came to the training's date (``attended``), or take the
    record back. Returns the attendance (None once taken back). Audited."""
    if activity.kind != TRAINING_KIND:
        raise TrainingError(_("This activity is not a volunteer training."))
    if participant.role != Role.VOLUNTEER or participant.anonymised_at:
        raise TrainingError(_("Only a volunteer in the registry can be recorded."))
    occurrence = training_occurrence(activity, occurrence_start)
    if occurrence is None:
        raise TrainingError(_("This training has no such date (it may have been cancelled)."))
    lookup = {
        "participant": participant,
        "activity_key": activity.translation_key,
        "occurrence_start": occurrence.start,
    }
    existing = TrainingAttendance.objects.filter(**lookup)
    day = f"{timezone.localtime(occurrence.start):%Y-%m-%d %H:%M}"
    if not attended:
        with transaction.atomic():
            removed, _count = existing.delete()
            if removed:
                registry_audit(
                    Action.CHANGE,
                    user=user,
                    participant=participant,
                    detail=f"training attendance removed: {activity.title} {day}",
                )
        return None
    if occurrence.start > timezone.now():
        raise TrainingError(_("This date has not started yet: record who came afterwards."))
    if signup is not None and (
        signup.activity.translation_key != activity.translation_key
        or signup.occurrence_start != occurrence.start
        or signup.email.lower() != participant.email.lower()
    ):
        raise TrainingError(_("This sign-up is not for this date or this volunteer."))
    try:
        with transaction.atomic():
            attendance, created = TrainingAttendance.objects.get_or_create(
                **lookup,
                defaults={
                    "activity": activity,
                    "topic": activity.training_topic,
                    "title": activity.title,
                    "minutes": max(
                        int((occurrence.end - occurrence.start).total_seconds()) // 60, 0
                    ),
                    "signup": signup,
                    "recorded_by": user if user is not None and user.is_authenticated else None,
                },
            )
            if created:
                registry_audit(
                    Action.CHANGE,
                    user=user,
                    participant=participant,
                    detail=f"training attended: {activity.title} {day}",
                )
    except IntegrityError:  # two clicks at once: the other one recorded it
        attendance = existing.first()
        if attendance is None:
            raise
    return attendance


# --- The volunteer's page and their data --------------------------------------------------


def attended_rows(participant: Participant) -> list[dict]:
    return [
        {
            "attendance": attendance,
            "topic": topic_label(attendance.topic),
            "hours": round(attendance.minutes / 60, 1),
        }
        for attendance in participant.trainings_attended.all()
    ]


def participant_admin_context(request, participant) -> dict:
    """The trainings a volunteer attended, on the coordinator's participant page
    (template ``buddypages/registry/admin/sections/training.html``)."""
    if participant.role != Role.VOLUNTEER:
        return {"training_section": False}
    rows = attended_rows(participant)
    return {
        "training_section": True,
        "trainings_attended": rows,
        "training_hours": round(sum(row["attendance"].minutes for row in rows) / 60, 1),
        "has_basic_training": any(row["attendance"].topic == BASIC for row in rows),
    }


def participant_trainings_export(participant: Participant, when) -> list[dict]:
    """The person's trainings, for their data export (``when`` formats dates)."""
    return [
        {
            "training": attendance.title,
            "topic": attendance.topic,
            "date": when(attendance.occurrence_start),
            "minutes": attendance.minutes,
            "recorded_at": when(attendance.recorded_at),
        }
        for attendance in participant.trainings_attended.all()
    ]
