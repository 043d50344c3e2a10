"""Demo duos with logged meetings (one past 40 hours) and draft match proposals."""

from __future__ import annotations

from datetime import timedelta

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
# (months ago the duo started, meetings of 3 hours confirmed, one meeting still to confirm)
PLAN = [(7, 15, False), (4, 7, True), (2, 3, True), (0, 0, False)]


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
    made = 0
    for (months, meetings, pending), newcomer, volunteer in zip(
        PLAN, newcomers, volunteers, strict=False
    ):
        # Make the pair acceptable whatever the random answers said.
        newcomer.buddy_gender = volunteer.buddy_gender = ""
        newcomer.save(update_fields=["buddy_gender"])
        volunteer.save(update_fields=["buddy_gender"])
        start = today - timedelta(days=30 * months + 3)
        # Straight to the database: the demo sends no introduction emails.
        end, midway = Duo.planned_dates(start, programme.duration_months or 6)
        duo = Duo.objects.create(
            programme=programme,
            programme_key=key,
            newcomer=newcomer,
            volunteer=volunteer,
            introduction="Jullie houden allebei van wandelen en wonen vlakbij elkaar.",
            start_date=start,
            planned_end=end,
            feedback_due=midway,
        )
        for index in range(meetings):
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
        if pending:
            Meeting.objects.create(
                duo=duo,
                date=today - timedelta(days=2),
                minutes=90,
                activity="Samen naar het zwembad",
                logged_by=Meeting.By.VOLUNTEER,
            )
        status = Status.ACTIVE if meetings else Status.MATCHED
        for member in (newcomer, volunteer):
            member.status = status
            member.save(update_fields=["status"])
        made += 1
    return made


def ensure_proposals(programme: ProgrammePage) -> int:
    key = programme.translation_key
    drafts = MatchProposal.objects.filter(programme_key=key, status=MatchProposal.Status.DRAFT)
    if drafts.exists():
        return drafts.count()
    return len(proposals_create(programme=programme))
