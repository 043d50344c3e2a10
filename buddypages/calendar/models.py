"""The calendar's data rows: sign-ups for one date of an activity (personal data)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from buddypages.pages.access import site_field


class ActivitySignupQuerySet(models.QuerySet):
    def for_occurrence(self, activity, start):
        """Sign-ups for one date of ``activity`` in every language: translations share places."""
        return self.filter(
            activity__translation_key=activity.translation_key, occurrence_start=start
        )

    def holding_places(self):
        return self.filter(status=ActivitySignup.CONFIRMED)

    def places_taken(self) -> dict:
        """Places held, by (the activity's translation key, date): one query for any
        number of dates. Translations of an activity share its places."""
        rows = (
            self.holding_places()
            .order_by()
            .values("activity__translation_key", "occurrence_start")
            .annotate(taken=models.Sum("places"))
            .values_list("activity__translation_key", "occurrence_start", "taken")
        )
        return {(key, start): taken for key, start, taken in rows}

    def waiting(self):
        return self.filter(status=ActivitySignup.WAITING).order_by("created_at", "pk")


class ActivitySignup(models.Model):
    """Someone (or a duo) coming to one occurrence of an activity. Personal data:
    only coordinators see these, in the admin; never editors, pages or the API."""

    CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"
    STATUSES = [
        (CONFIRMED, _("Coming")),
        (WAITING, _("On the waiting list")),
        (CANCELLED, _("Cancelled")),
    ]

    activity = models.ForeignKey(
        "buddypages.ActivityPage",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    occurrence_start = models.DateTimeField(_("date"))
    site = site_field()
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=CONFIRMED)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ActivitySignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["occurrence_start", "created_at"]
        indexes = [models.Index(fields=["activity", "occurrence_start", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.site_id is None:
            self.site = self.activity.get_site()
        super().save(*args, **kwargs)
