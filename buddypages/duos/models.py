"""Matching and duos: weights per programme, exclusions, speed-date picks,
proposals the coordinator reviews, duos and their meeting log.

Everything here points at registry participants and is deleted with them
(erasure leaves nothing behind).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buddypages.duos.reasons import reason_texts

PROOF_HOURS = 40


def _weight(label, default, help_text=""):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


class MatchWeights(models.Model):
    """How much each kind of common ground counts, per programme (the coordinator sets them)."""

    programme_key = models.UUIDField(unique=True, editable=False)
    interests = _weight(_("each shared interest"), "3", _("Counted for up to 4 interests."))
    place = _weight(_("same neighbourhood"), "4", _("Same postcode counts 80%, nearby 40%."))
    household = _weight(_("similar household"), "2")
    availability = _weight(
        _("free at the same moments"), "3", _("Full weight from 3 shared moments a week.")
    )
    language = _weight(
        _("a shared language besides Dutch"),
        "2",
        _("Counts 1.5 times for newcomers who speak no or very little Dutch."),
    )
    age = _weight(_("similar age"), "1")
    speed_date_mutual = _weight(_("both chose each other at the speed date"), "10")
    speed_date_one_way = _weight(_("one chose the other at the speed date"), "2")
    waiting = _weight(
        _("priority per month of waiting"),
        "1",
        _("Added for each month a person waits, up to six months, for each side."),
    )

    WEIGHT_FIELDS = (
        "interests",
        "place",
        "household",
        "availability",
        "language",
        "age",
        "speed_date_mutual",
        "speed_date_one_way",
        "waiting",
    )

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(_("Matching weights"))

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.WEIGHT_FIELDS}


class MatchExclusion(models.Model):
    """A pair the coordinator never wants proposed (they know each other, it went wrong...)."""

    newcomer = models.ForeignKey(
        "buddypages.Participant", on_delete=models.CASCADE, related_name="+"
    )
    volunteer = models.ForeignKey(
        "buddypages.Participant", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("matching exclusion")
        verbose_name_plural = _("matching exclusions")
        constraints = [
            models.UniqueConstraint(fields=["newcomer", "volunteer"], name="one_exclusion_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.newcomer_id} ✕ {self.volunteer_id}"


class SpeedDatePick(models.Model):
    """After a speed date: ``chooser`` would like to meet ``chosen`` again."""

    chooser = models.ForeignKey(
        "buddypages.Participant", on_delete=models.CASCADE, related_name="speed_date_picks"
    )
    chosen = models.ForeignKey("buddypages.Participant", on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("speed-date choice")
        verbose_name_plural = _("speed-date choices")
        constraints = [
            models.UniqueConstraint(fields=["chooser", "chosen"], name="one_pick_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.chooser_id} → {self.chosen_id}"


class MatchProposal(models.Model):
    """A draft pair from the matching run: the coordinator accepts, rejects or changes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    programme_key = models.UUIDField(db_index=True, editable=False)
    newcomer = models.ForeignKey(
        "buddypages.Participant", on_delete=models.CASCADE, related_name="+"
    )
    volunteer = models.ForeignKey(
        "buddypages.Participant", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    # Structured reasons ({"code": ..., "values": [...]}), put into words in the
    # reader's language when shown.
    reasons = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["-score", "pk"]

    def __str__(self) -> str:
        return f"{self.newcomer} + {self.volunteer}"

    def reason_texts(self) -> list[str]:
        return reason_texts(self.reasons)


class DuoQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=[Duo.Status.ACTIVE, Duo.Status.PAUSED])

    def feedback_due(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.running().filter(feedback_due__lte=on, feedback_done_at__isnull=True)

    def with_hours(self):
        confirmed = Q(meetings__confirmed_at__isnull=False)
        return self.annotate(confirmed_minutes_cached=Sum("meetings__minutes", filter=confirmed))


class Duo(models.Model):
    """A newcomer and a volunteer who meet, for about the programme's duration."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped early")

    programme = models.ForeignKey(
        "buddypages.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme_key = models.UUIDField(db_index=True, editable=False)
    newcomer = models.ForeignKey(
        "buddypages.Participant",
        verbose_name=_("newcomer"),
        on_delete=models.CASCADE,
        related_name="duos_as_newcomer",
    )
    volunteer = models.ForeignKey(
        "buddypages.Participant",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="duos_as_volunteer",
    )
    introduction = models.TextField(
        _("how the coordinator introduces them"),
        blank=True,
        help_text=_("Sent to both in the introduction email. No other personal data."),
    )
    start_date = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    feedback_due = models.DateField(_("midway feedback"))
    feedback_done_at = models.DateTimeField(_("feedback done"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    stop_reason = models.CharField(_("reason"), max_length=300, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Bumped to revoke a member's private meeting-log link.
    newcomer_link_version = models.PositiveIntegerField(default=1, editable=False)
    volunteer_link_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DuoQuerySet.as_manager()

    class Meta:
        verbose_name = _("duo")
        verbose_name_plural = _("duos")
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.newcomer.first_name} & {self.volunteer.first_name}"

    @staticmethod
    def planned_dates(start: date, months: int) -> tuple[date, date]:
        """(planned end, midway feedback) for a duo starting on ``start``."""
        end = start + relativedelta(months=months)
        return end, start + timedelta(days=(end - start).days // 2)

    def confirmed_minutes(self) -> int:
        if hasattr(self, "confirmed_minutes_cached"):
            return self.confirmed_minutes_cached or 0
        return self.meetings.confirmed().aggregate(total=Sum("minutes"))["total"] or 0

    def confirmed_hours(self) -> float:
        return round(self.confirmed_minutes() / 60, 1)

    confirmed_hours.short_description = _("confirmed hours")

    def progress_percent(self) -> int:
        return min(100, round(self.confirmed_minutes() * 100 / (PROOF_HOURS * 60)))

    def has_proof(self) -> bool:
        return self.confirmed_minutes() >= PROOF_HOURS * 60

    def member(self, role: str):
        return self.newcomer if role == "newcomer" else self.volunteer

    def other_role(self, role: str) -> str:
        return "volunteer" if role == "newcomer" else "newcomer"


class MeetingQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Meeting(models.Model):
    """One meeting of a duo. Hours count once the other member (or a coordinator) confirms."""

    class By(models.TextChoices):
        NEWCOMER = "newcomer", _("Newcomer")
        VOLUNTEER = "volunteer", _("Volunteer")
        COORDINATOR = "coordinator", _("Coordinator")

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(15), MaxValueValidator(720)]
    )
    activity = models.CharField(_("what you did"), max_length=300, blank=True)
    logged_by = models.CharField(_("logged by"), max_length=12, choices=By.choices)
    logged_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.CharField(
        _("confirmed by"), max_length=12, choices=By.choices, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} ({self.minutes} min)"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
