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
from buddypages.pages.access import site_field

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

    # Not a weight: a hard rule of the programme, set on the same page.
    requires_basic_training = models.BooleanField(
        _("volunteers need the basic training before their first duo"),
        default=False,
        help_text=_("Matching then never proposes a volunteer who has not attended it."),
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
    site = site_field()
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
    # When the closing emails (certificates, invitation to the closing activity) were queued.
    closing_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the members were invited by email to answer each feedback moment (once each).
    midway_invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_invited_at = models.DateTimeField(null=True, blank=True, editable=False)
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

    def save(self, *args, **kwargs):
        if self.site_id is None:
            self.site_id = self.newcomer.site_id
        super().save(*args, **kwargs)

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


# --- Action plan and feedback -----------------------------------------------------------

MAX_GOALS = 5


class DuoGoal(models.Model):
    """One goal of a duo's action plan: an option from the translatable list (``key``)
    or the duo's own words (``text``)."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="goals")
    key = models.SlugField(_("goal from the list"), max_length=40, blank=True)
    text = models.CharField(_("own goal"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("action plan")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(key="", text=""), name="goal_has_key_or_text")
        ]

    def __str__(self) -> str:
        return self.text or self.key


class FeedbackMoment(models.TextChoices):
    MIDWAY = "midway", _("Midway")
    END = "end", _("End")


class Face(models.IntegerChoices):
    """The five faces of the feedback form, from sad to happy."""

    VERY_BAD = 1, _("Very bad")
    BAD = 2, _("Bad")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class DuoFeedback(models.Model):
    """One member's answer at one feedback moment. Only that member and coordinators see it:
    never the other member."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="feedback")
    role = models.CharField(_("from"), max_length=12)
    moment = models.CharField(_("moment"), max_length=8, choices=FeedbackMoment.choices)
    overall = models.PositiveSmallIntegerField(_("overall"), choices=Face.choices)
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["duo", "moment", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["duo", "role", "moment"], name="one_feedback_per_member_and_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.duo_id} {self.role} {self.moment}: {self.overall}"


class GoalRating(models.Model):
    """How one member feels a goal went, at one feedback moment."""

    feedback = models.ForeignKey(DuoFeedback, on_delete=models.CASCADE, related_name="ratings")
    goal = models.ForeignKey(DuoGoal, on_delete=models.CASCADE, related_name="ratings")
    face = models.PositiveSmallIntegerField(_("answer"), choices=Face.choices)

    class Meta:
        verbose_name = _("goal answer")
        verbose_name_plural = _("goal answers")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "goal"], name="one_rating_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.face}"


# --- Questions for the coordinator ----------------------------------------------------


class DuoQuestion(models.Model):
    """A note a member sends the coordinator from the duo page. The email that announces
    it carries no personal data: only a link to read it in the admin."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(_("from"), max_length=12)
    category = models.CharField(_("theme"), max_length=20, blank=True)
    text = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("question for the coordinator")
        verbose_name_plural = _("questions for the coordinator")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return str(_("Question %(number)s") % {"number": self.pk})


# --- Partner vouchers -----------------------------------------------------------------


class VoucherOfferQuerySet(models.QuerySet):
    def available(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(stock__gt=0).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class VoucherOffer(models.Model):
    """What a partner offers: ``quantity`` vouchers, of which ``stock`` are left.

    ``stock`` only ever changes through one conditional UPDATE (see
    ``vouchers_hand_out``) and a database constraint keeps it at zero or more, so two
    coordinators handing out at the same moment never give more than there is.
    """

    partner = models.ForeignKey(
        "buddypages.Partner",
        verbose_name=_("partner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_name = models.CharField(_("partner"), max_length=120, editable=False)
    what = models.CharField(
        _("what"), max_length=200, help_text=_("E.g. 'Two tickets for the swimming pool'.")
    )
    quantity = models.PositiveIntegerField(_("how many"), validators=[MinValueValidator(1)])
    stock = models.IntegerField(_("left"), editable=False)
    # Kept on the offer so the report still counts vouchers of duos erased since.
    used_count = models.PositiveIntegerField(_("used"), default=0, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    per_duo_limit = models.PositiveSmallIntegerField(
        _("at most per duo"), default=1, validators=[MinValueValidator(1)]
    )
    programme_key = models.UUIDField(_("programme key"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VoucherOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher offer")
        verbose_name_plural = _("voucher offers")
        ordering = ["valid_until", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="voucher_stock_never_negative")
        ]

    def __str__(self) -> str:
        return f"{self.partner_name}: {self.what}"

    def save(self, *args, **kwargs):
        # The name stays on the offer when the partner snippet is deleted later.
        if self.partner is not None:
            self.partner_name = self.partner.name
        super().save(*args, **kwargs)

    @property
    def handed_out(self) -> int:
        """Counted from the stock, so erasing a duo (and its vouchers) changes nothing."""
        return self.quantity - self.stock

    def is_expired(self, on: date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (on or timezone.localdate())


class Voucher(models.Model):
    """One voucher handed to a duo, with the code the partner checks."""

    offer = models.ForeignKey(VoucherOffer, on_delete=models.PROTECT, related_name="vouchers")
    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="vouchers")
    code = models.CharField(_("code"), max_length=20, unique=True)
    handed_out_at = models.DateTimeField(_("handed out at"), default=timezone.now)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-handed_out_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    def state(self, on: date | None = None) -> str:
        """``used``, ``expired`` or ``valid``: what the member and the partner need to know."""
        if self.used_at is not None:
            return "used"
        return "expired" if self.offer.is_expired(on) else "valid"
