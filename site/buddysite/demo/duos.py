"""Demo duos at every stage (just started, midway feedback due, near and past 40 hours,
completed) with logged meetings, and draft match proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from buddypages.duos.models import Duo, MatchProposal, Meeting
from buddypages.duos.services import proposals_create
from buddypages.models import ProgrammePage
from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Participant

ACTIVITIES = [
    "Koffie gedronken en over werk gepraat",
    "Samen naar de markt",
    "Wandeling in het park",
    "Naar de bibliotheek",
    "Samen gekookt",
    "Brief van de gemeente samen gelezen",
]


@dataclass(frozen=True)
class Stage:
    """One demo duo at a point of its six months, so every screen has something to show."""

    started_days_ago: int
    meetings: int  # confirmed meetings of three hours
    pending: bool = False  # one meeting logged by the volunteer, not yet confirmed
    feedback_done: bool = False
    completed_days_ago: int | None = None  # ended, with the proof of 40 hours


def _stages(today: date, months: int) -> list[Stage]:
    # The duo whose midway feedback falls in three days' time (or as near as months allow).
    due = today + timedelta(days=3)
    midway = min(
        range(1, 31 * months),
        key=lambda days: abs(
            (Duo.planned_dates(today - timedelta(days=days), months)[1] - due).days
        ),
    )
    return [
        # Completed after seven months with 45 hours: shows the proof.
        Stage(started_days_ago=215, meetings=15, feedback_done=True, completed_days_ago=10),
        # Five months in, 36 hours confirmed and 1.5 waiting: nearly at 40.
        Stage(started_days_ago=155, meetings=12, pending=True, feedback_done=True),
        # Midway feedback due this week.
        Stage(started_days_ago=midway, meetings=6, pending=True),
        # Two months in.
        Stage(started_days_ago=62, meetings=3),
        # Just started: introduced three days ago, no meeting yet.
        Stage(started_days_ago=3, meetings=0),
    ]


def ensure_duos(programme: ProgrammePage) -> int:
    """Pair the demo's active newcomers and volunteers into duos (once)."""
    key = programme.translation_key
    if Duo.objects.filter(programme_key=key).exists():
        return Duo.objects.filter(programme_key=key).count()
    people = Participant.objects.filter(programme_key=key, email__endswith="@example.org")
    newcomers = list(people.filter(role=Role.NEWCOMER, status__in=[Status.ACTIVE, Status.MATCHED]))
    volunteers = list(
        people.filter(role=Role.VOLUNTEER, status__in=[Status.ACTIVE, Status.MATCHED])
    )
    today = timezone.localdate()
    months = programme.duration_months or 6
    made = 0
    for stage, newcomer, volunteer in zip(
        _stages(today, months), newcomers, volunteers, strict=False
    ):
        # Make the pair acceptable whatever the random answers said.
        newcomer.buddy_gender = volunteer.buddy_gender = ""
        newcomer.save(update_fields=["buddy_gender"])
        volunteer.save(update_fields=["buddy_gender"])
        start = today - timedelta(days=stage.started_days_ago)
        # Straight to the database: the demo sends no introduction emails.
        end, midway = Duo.planned_dates(start, months)
        completed = stage.completed_days_ago is not None
        duo = Duo.objects.create(
            programme=programme,
            programme_key=key,
            newcomer=newcomer,
            volunteer=volunteer,
            introduction="Jullie houden allebei van wandelen en wonen vlakbij elkaar.",
            start_date=start,
            planned_end=end,
            feedback_due=midway,
            feedback_done_at=timezone.now() - timedelta(days=30) if stage.feedback_done else None,
            status=Duo.Status.COMPLETED if completed else Duo.Status.ACTIVE,
            ended_on=today - timedelta(days=stage.completed_days_ago) if completed else None,
        )
        for index in range(stage.meetings):
            logged = Meeting.By.NEWCOMER if index % 2 else Meeting.By.VOLUNTEER
            Meeting.objects.create(
                duo=duo,
                date=start + timedelta(days=14 * index + 1),
                minutes=180,
                activity=ACTIVITIES[index % len(ACTIVITIES)],
                logged_by=logged,
                confirmed_by=Meeting.By.VOLUNTEER if logged == Meeting.By.NEWCOMER else "newcomer",
                confirmed_at=timezone.now(),
            )
        if stage.pending:
            Meeting.objects.create(
                duo=duo,
                date=today - timedelta(days=2),
                minutes=90,
                activity="Samen naar het zwembad",
                logged_by=Meeting.By.VOLUNTEER,
            )
        if completed:
            status = Status.COMPLETED
        else:
            status = Status.ACTIVE if stage.meetings else Status.MATCHED
        for member in (newcomer, volunteer):
            member.status = status
            member.ended_at = timezone.now() - timedelta(days=10) if completed else None
            member.save(update_fields=["status", "ended_at"])
        made += 1
    return made


def ensure_proposals(programme: ProgrammePage) -> int:
    key = programme.translation_key
    drafts = MatchProposal.objects.filter(programme_key=key, status=MatchProposal.Status.DRAFT)
    if drafts.exists():
        return drafts.count()
    return len(proposals_create(programme=programme))
