"""Newsletter issues are pages.

Why a page and not a snippet: an issue is translated with wagtail-localize
exactly like the other pages (one translation per locale, synced from the
Dutch source), it gets Wagtail's drafts, revisions, workflow and preview for
free, and once sent its page *is* the public web version and the archive
entry. A snippet would need its own translation, preview and public URL.

An issue page answers only once it has been sent (``sent_at``); before that
only editors see it, in the preview.
"""

from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.core.clients import client_address
from buddypages.pages.access import site_field
from buddypages.pages.mixins import LanguageConsistentPageMixin
from buddypages.registry.forms import NewsletterSubscribeForm
from buddypages.registry.models import Consent
from buddypages.registry.services import RegistrationError, client_key, newsletter_subscribe
from newsletter.blocks import NewsletterStreamBlock


class NewsletterIndexPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """The archive: every sent issue in this language, newest first, and a box to ask for
    the newsletter (``subscribe/``, then ``subscribe/thanks/``).

    The box is the API's subscription form (``NewsletterSubscribeForm``) handed to the same
    service (``newsletter_subscribe``): double opt-in, anyone may ask, and the thank-you page
    is the same whether or not the address is known.
    """

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("newsletter archive")
        verbose_name_plural = _("newsletter archives")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .filter(sent_at__isnull=False)
            .order_by("-sent_at")
        )
        context.setdefault("form", self.subscribe_form())
        return context

    def subscribe_form(self, data=None) -> NewsletterSubscribeForm:
        """The sign-up box's form, in the active language (the page's)."""
        return NewsletterSubscribeForm(data)

    @path("subscribe/")
    def subscribe_view(self, request):
        # Error reports must never carry the address typed here.
        request.sensitive_post_parameters = "__ALL__"
        if request.method != "POST":
            return redirect(self.get_url(request) + "#newsletter-subscribe")
        form = self.subscribe_form(request.POST)
        status = 400
        if form.is_valid():
            try:
                newsletter_subscribe(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["preferred_language"],
                    client=client_key(client_address(request)),
                    site=self.get_site(),
                    method=Consent.Method.WEB_FORM,
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                return redirect(
                    self.get_url(request) + self.reverse_subpage("subscribe_thanks_view")
                )
        response = self.render(request, context_overrides={"form": form})
        response.status_code = status
        return response

    @path("subscribe/thanks/")
    def subscribe_thanks_view(self, request):
        return self.render(request, template="newsletter/subscribe_thanks.html")


class NewsletterIssuePage(LanguageConsistentPageMixin, Page):
    """One newsletter: subject, preheader and blocks, rendered per recipient at send time."""

    subject = models.CharField(_("subject"), max_length=150)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The short line mail programs show after the subject."),
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("content"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("subject")]
    override_translatable_fields = [SynchronizedField("sent_at")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    @property
    def preview_modes(self):
        # The shared mixin's modes (the web version, and the municipality's own front end when
        # the site has one), then the emails this issue becomes.
        return [
            ("", _("Web version")) if name == "" else (name, label)
            for name, label in super().preview_modes
        ] + [
            ("email:duo_newcomer", _("Email to a newcomer in a duo")),
            ("email:volunteer", _("Email to a volunteer")),
            ("email:subscriber", _("Email to a subscriber")),
        ]

    def serve(self, request, *args, **kwargs):
        if self.sent_at is None and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        if mode_name.startswith("email:"):
            from newsletter.rendering import preview_html

            return HttpResponse(preview_html(self, kind=mode_name.split(":", 1)[1]))
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from newsletter.rendering import web_version_html

        context = super().get_context(request, *args, **kwargs)
        context["newsletter_body"] = web_version_html(self)
        return context


class Send(models.Model):
    """One sending of an issue to one or more audiences. Its recipient list is frozen
    (one Delivery per person) the moment it starts, and kept for audit."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    issue = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("issue"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="sends",
    )
    issue_key = models.UUIDField(db_index=True, editable=False)
    subject = models.CharField(_("subject"), max_length=150)
    audiences = models.JSONField(_("audiences"), default=list)
    programme_key = models.UUIDField(null=True, blank=True, editable=False)
    site = site_field()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    send_after = models.DateTimeField(_("send from"))
    chains = models.PositiveSmallIntegerField(default=1, editable=False)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter send")
        verbose_name_plural = _("newsletter sends")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.site_id is None and self.issue is not None:
            self.site = self.issue.get_site()
        super().save(*args, **kwargs)

    def counts(self) -> dict[str, int]:
        rows = self.deliveries.values_list("status").annotate(n=models.Count("pk"))
        counts = {status: 0 for status, _label in Delivery.Status.choices}
        counts.update(dict(rows))
        return counts


class Delivery(models.Model):
    """One recipient of one send: the outbox row a task worker claims, sends and records."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        OPENED = "opened", _("Opened")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Skipped: address suppressed")
        CANCELLED = "cancelled", _("Cancelled")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    participant = models.ForeignKey(
        "buddypages.Participant", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # Frozen when the send starts, so a resumed send writes the same message.
    email = models.EmailField(_("email"))
    first_name = models.CharField(max_length=80, blank=True)
    buddy_first_name = models.CharField(max_length=170, blank=True)
    language = models.CharField(max_length=10)
    kind = models.CharField(max_length=12)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    error = models.CharField(_("reason"), max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["send", "email"], name="one_delivery_per_address"),
        ]
        indexes = [models.Index(fields=["send", "status", "id"])]

    def __str__(self) -> str:
        return f"{self.send_id}/{self.pk} {self.status}"

    @property
    def idempotency_key(self) -> str:
        return f"newsletter-{self.send_id}-{self.pk}"


class SuppressionQuerySet(models.QuerySet):
    def for_site(self, site_id):
        """The addresses a site's mail must not go to: its own and the installation's."""
        return self.filter(models.Q(site_id=site_id) | models.Q(site__isnull=True))

    def suppress(self, email: str, *, site_id, reason: str, detail: str = ""):
        """Remember that ``email`` must not be mailed by ``site_id`` (None: by any site)."""
        return self.get_or_create(
            email=email.strip().lower(),
            site_id=site_id,
            defaults={"reason": reason, "detail": detail[:255]},
        )


class Suppression(models.Model):
    """An address that bounced hard or complained: never mailed again until a
    coordinator removes it after following up."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Hard bounce")
        COMPLAINED = "complained", _("Marked as spam")
        REJECTED = "rejected", _("Refused by the email provider")

    email = models.EmailField(_("email"))
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        help_text=_("The municipality whose mail bounced; empty: every municipality."),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "email"],
                condition=models.Q(site__isnull=False),
                name="one_suppression_per_site",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(site__isnull=True),
                name="one_suppression_everywhere",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class WebhookEvent(models.Model):
    """An ESP event already handled (providers retry and replay): processed once."""

    esp = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=20)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["esp", "event_id"], name="one_row_per_esp_event")
        ]

    def __str__(self) -> str:
        return f"{self.esp} {self.event_type} {self.event_id}"
