"""The participant registry: personal data of newcomers and volunteers.

Only coordinators see these rows, in the admin. They never appear in pages,
the API, the search index or logs, and they do not live on a page: deleting a
registration page keeps its participants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buddypages.core import languages
from buddypages.pages.access import site_field
from buddypages.pages.municipality import site_for_programme_key
from buddypages.registry.choices import (
    ENDED_STATUSES,
    PROGRAMME_ROLES,
    SPOKEN_LANGUAGES,
    AgeBand,
    BuddyGender,
    DutchLevel,
    Gender,
    Household,
    NewsletterStatus,
    Role,
    Status,
    availability_labels,
)


class ParticipantQuerySet(models.QuerySet):
    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)

    def in_pipeline(self):
        """Newcomers and volunteers: everyone but newsletter-only readers."""
        return self.filter(role__in=PROGRAMME_ROLES)

    def readers(self):
        """People who only asked for the newsletter (no sign-up, no pipeline)."""
        return self.filter(role=Role.READER)

    def awaiting_match(self):
        return self.not_anonymised().in_pipeline().filter(status=Status.WAITING)

    def in_programme(self, programme):
        """``programme``: a ProgrammePage in any language (translations are one programme)."""
        return self.filter(programme_key=programme.translation_key)

    def ended_before(self, moment):
        return (
            self.not_anonymised()
            .in_pipeline()
            .filter(status__in=ENDED_STATUSES, ended_at__lt=moment)
        )

    def abandoned_before(self, moment):
        return (
            self.not_anonymised()
            .in_pipeline()
            .filter(status=Status.SIGNED_UP, last_signup_at__lt=moment)
        )

    def unconfirmed_readers_before(self, moment):
        """Readers who did not follow the confirmation link they last asked for before
        ``moment``."""
        return (
            self.not_anonymised()
            .readers()
            .exclude(newsletter_status=NewsletterStatus.CONFIRMED)
            .exclude(newsletter_status=NewsletterStatus.WITHDRAWN)
            .filter(last_signup_at__lt=moment)
        )

    def withdrawn_readers(self):
        """Readers who stopped the newsletter: nothing left to keep them for."""
        return self.not_anonymised().readers().filter(newsletter_status=NewsletterStatus.WITHDRAWN)

    def newsletter_subscribers(self):
        return self.not_anonymised().filter(newsletter_status=NewsletterStatus.CONFIRMED)

    def for_listing(self):
        return self.select_related("programme").prefetch_related("spoken_languages")


class Participant(models.Model):
    """A newcomer or a volunteer who signed up for one programme, or a reader who only
    asked for its newsletter (an address and a language, no name, no status)."""

    programme = models.ForeignKey(
        "buddypages.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The programme's translation key: the programme in every language, and
    # still known when its page is deleted.
    programme_key = models.UUIDField(_("programme key"), db_index=True, editable=False)
    site = site_field()
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SIGNED_UP
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("language we write in"),
        max_length=10,
        choices=languages.site_languages,
        default=languages.site_language,
    )
    form_language = models.CharField(_("language of the form"), max_length=10, editable=False)
    dutch_level = models.CharField(
        _("Dutch level"), max_length=4, choices=DutchLevel.choices, blank=True
    )
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    household = models.CharField(
        _("household"), max_length=20, choices=Household.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    buddy_gender = models.CharField(
        _("buddy's gender wished"), max_length=8, choices=BuddyGender.choices, blank=True
    )
    interests = models.ManyToManyField(
        "buddypages.Interest", verbose_name=_("interests"), blank=True, related_name="+"
    )
    availability = models.PositiveIntegerField(
        _("availability"), default=0, help_text=_("Free moments in the week, as a bit mask.")
    )
    hopes = models.TextField(_("what they hope for"), blank=True)
    experience = models.TextField(_("experience"), blank=True)
    max_duos = models.PositiveSmallIntegerField(_("how many duos"), default=1)
    newsletter_status = models.CharField(
        _("newsletter"),
        max_length=10,
        choices=NewsletterStatus.choices,
        default=NewsletterStatus.NONE,
    )

    created_at = models.DateTimeField(_("signed up at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    last_signup_at = models.DateTimeField(_("last sign-up"), default=timezone.now)
    signup_count = models.PositiveIntegerField(_("times signed up"), default=1)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("export_participant", _("Can export participants")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_key", "role", "email"],
                condition=~models.Q(email=""),
                name="one_participant_per_email_role_programme",
            )
        ]
        indexes = [
            models.Index(fields=["programme_key", "status"]),
            models.Index(fields=["status", "waiting_since"]),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return str(_("Anonymised participant %(number)s") % {"number": self.pk})
        if self.is_reader and not self.full_name:
            return str(Role.READER.label)
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        if self.site_id is None:
            # The site of the page they signed up on, else of any page of their programme.
            page_site = self.programme.get_site() if self.programme_id else None
            self.site = page_site or site_for_programme_key(self.programme_key)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_reader(self) -> bool:
        return self.role == Role.READER

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def availability_display(self) -> str:
        return ", ".join(availability_labels(self.availability))

    availability_display.short_description = _("free moments")

    def spoken_language_codes(self) -> list[str]:
        return [language.code for language in self.spoken_languages.all()]

    def spoken_languages_display(self) -> str:
        return ", ".join(language.get_code_display() for language in self.spoken_languages.all())

    spoken_languages_display.short_description = _("languages")


class ParticipantLanguage(models.Model):
    """A language the participant speaks (one row each, so lists filter on every database)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="spoken_languages"
    )
    code = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES, db_index=True)

    class Meta:
        verbose_name = _("spoken language")
        verbose_name_plural = _("spoken languages")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "code"], name="one_row_per_spoken_language"
            )
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class StatusChange(models.Model):
    """Every move through the pipeline: from, to, who and when."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Intake(models.Model):
    """The intake conversation a coordinator has with a participant."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="intakes")
    held_on = models.DateField(_("date of the conversation"))
    notes = models.TextField(_("notes"), blank=True)
    expectations_confirmed = models.BooleanField(_("expectations discussed and clear"))
    commitment_confirmed = models.BooleanField(
        _("commitment confirmed (about six months, twice a month)")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return str(_("Intake on %(date)s") % {"date": self.held_on})


class Consent(models.Model):
    """The consent ledger: one row per consent given or withdrawn, never changed."""

    class Purpose(models.TextChoices):
        PROGRAMME = "programme", _("Taking part in the buddy programme")
        NEWSLETTER = "newsletter", _("Receiving the newsletter")
        INFORMATION_NOTE = "info_note", _("Read the volunteer information note")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")

    class Method(models.TextChoices):
        WEB_FORM = "web_form", _("Registration form on the website")
        EMAIL_LINK = "email_link", _("Link in an email")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        COORDINATOR = "coordinator", _("Recorded by a coordinator")
        API = "api", _("Form on another website or app (API)")
        EMBED = "embed", _("Form shown on another website (widget)")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=12, choices=Basis.choices, default=Basis.CONSENT
    )
    given = models.BooleanField(_("given"), help_text=_("Off: the consent was withdrawn."))
    text_version = models.CharField(_("version of the text"), max_length=60, blank=True)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    origin = models.CharField(
        _("origin"),
        max_length=255,
        blank=True,
        help_text=_("The website that sent the form, for forms sent through the API."),
    )
    recorded_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"


class RegistryAuditEvent(models.Model):
    """Who viewed, changed, exported or erased which record.

    It names the participant by number only, so it keeps no personal data
    once a record is erased or anonymised.
    """

    class Action(models.TextChoices):
        REGISTER = "register", _("Signed up through the website")
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        INTAKE = "intake", _("Intake recorded")
        EXPORT_LIST = "export_list", _("Exported a list")
        EXPORT_PERSON = "export_person", _("Exported all data of one person")
        ERASE = "erase", _("Erased")
        ANONYMISE = "anonymise", _("Anonymised after the retention time")
        REMOVE_ABANDONED = "remove_abandoned", _("Removed an abandoned sign-up")
        NEWSLETTER = "newsletter", _("Newsletter consent changed")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    participant_ref = models.PositiveBigIntegerField(
        _("participant number"), null=True, blank=True, db_index=True
    )
    count = models.PositiveIntegerField(_("number of records"), default=1)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    site = site_field()

    class Meta:
        verbose_name = _("registry audit event")
        verbose_name_plural = _("registry audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.participant_ref or '-'}"


class SignupAttempt(models.Model):
    """One registration attempt from a client address (kept as a keyed hash, never
    the address itself), for the per-address rate limit without a shared cache."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.at:%Y-%m-%d %H:%M}"
