"""What a programme owes its volunteers before their first duo (Belgian law on
volunteering, 2005): insurance, and a written information note they acknowledged;
and the trainings they attended.

The policy and the note are the programme's settings (no personal data). The
acknowledgements, insurance periods and attendance are personal data: they point
at a participant and are erased with them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField


class InsurancePolicyQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class InsurancePolicy(models.Model):
    """The programme's insurance for its volunteers (civil liability and accidents)."""

    programme = models.ForeignKey(
        "buddypages.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme_key = models.UUIDField(_("programme key"), db_index=True, editable=False)
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60)
    covers = models.TextField(
        _("what it covers"),
        help_text=_("E.g. civil liability and bodily accidents during buddy activities."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty while it runs.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InsurancePolicyQuerySet.as_manager()

    panels = [
        FieldPanel("programme"),
        FieldPanel("insurer"),
        FieldPanel("policy_number"),
        FieldPanel("covers"),
        MultiFieldPanel([FieldPanel("valid_from"), FieldPanel("valid_until")], heading=_("Valid")),
    ]

    class Meta:
        verbose_name = _("volunteer insurance policy")
        verbose_name_plural = _("volunteer insurance policies")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"

    def save(self, *args, **kwargs):
        if self.programme_id and not self.programme_key:
            self.programme_key = self.programme.translation_key
        super().save(*args, **kwargs)


class InformationNoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class InformationNote(TranslatableMixin, models.Model):
    """The written information every volunteer gets ("organisatienota"): who organises,
    insurance, liability, confidentiality, allowances. Translatable; each change of
    substance is a new version, which every volunteer acknowledges again."""

    programme = models.ForeignKey(
        "buddypages.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme_key = models.UUIDField(_("programme key"), db_index=True, editable=False)
    version = models.PositiveSmallIntegerField(
        _("version"),
        default=1,
        help_text=_("Raise it when the content changes: volunteers then acknowledge again."),
    )
    title = models.CharField(_("title"), max_length=160)
    body = RichTextField(
        _("text"),
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol"],
        help_text=_("Who organises, the insurance, liability, confidentiality and allowances."),
    )
    published_at = models.DateTimeField(
        _("in force since"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft that volunteers do not see yet."),
    )

    objects = InformationNoteQuerySet.as_manager()

    panels = [
        FieldPanel("programme"),
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("published_at"),
    ]
    override_translatable_fields = [
        SynchronizedField("programme"),
        SynchronizedField("version"),
        SynchronizedField("published_at"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("volunteer information note")
        verbose_name_plural = _("volunteer information notes")
        ordering = ["-version", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.programme_id and not self.programme_key:
            self.programme_key = self.programme.translation_key
        super().save(*args, **kwargs)

    @property
    def version_label(self) -> str:
        """What the consent ledger records as the text's version."""
        return f"info-note:{self.translation_key}:v{self.version}"


class NoteAcknowledgement(models.Model):
    """A volunteer read and accepted one version of the information note."""

    participant = models.ForeignKey(
        "buddypages.Participant",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="note_acknowledgements",
    )
    note = models.ForeignKey(
        InformationNote,
        verbose_name=_("information note"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note_key = models.UUIDField(editable=False)
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("information note acknowledgement")
        verbose_name_plural = _("information note acknowledgements")
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "note_key", "version"], name="one_ack_per_note_version"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.participant_id} v{self.version}"


class InsuranceCoverQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def overlapping(self, start: date, end: date):
        return self.filter(starts_on__lte=end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )


class InsuranceCover(models.Model):
    """A volunteer's period under the programme's insurance: what the insurer is told."""

    participant = models.ForeignKey(
        "buddypages.Participant",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="insurance_covers",
    )
    policy = models.ForeignKey(
        InsurancePolicy,
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="covers_given",
    )
    starts_on = models.DateField(_("insured from"))
    ends_on = models.DateField(_("insured until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InsuranceCoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("insurance period")
        verbose_name_plural = _("insurance periods")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="insurance_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.participant_id} {self.starts_on} – {self.ends_on or '…'}"


class TrainingAttendance(models.Model):
    """A volunteer came to one date of a volunteer training (recorded by a coordinator)."""

    participant = models.ForeignKey(
        "buddypages.Participant",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="trainings_attended",
    )
    activity = models.ForeignKey(
        "buddypages.ActivityPage",
        verbose_name=_("training"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The training in every language, and still known when its page is deleted.
    activity_key = models.UUIDField(editable=False)
    occurrence_start = models.DateTimeField(_("date"))
    topic = models.CharField(_("topic"), max_length=20)
    title = models.CharField(_("training"), max_length=255)
    minutes = models.PositiveIntegerField(_("duration in minutes"), default=0)
    signup = models.ForeignKey(
        "buddypages.ActivitySignup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training attended")
        verbose_name_plural = _("trainings attended")
        ordering = ["-occurrence_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "activity_key", "occurrence_start"],
                name="one_attendance_per_training_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.occurrence_start:%Y-%m-%d})"
