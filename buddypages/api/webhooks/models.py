"""Endpoints a site sends its publish events to, and the log of every delivery."""

import base64
import secrets
import uuid

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

EXCERPT_LENGTH = 200


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class EventType(models.TextChoices):
    PAGE_PUBLISHED = "page.published", _("Page published")
    PAGE_UNPUBLISHED = "page.unpublished", _("Page unpublished")
    PAGE_MOVED = "page.moved", _("Page moved")
    PAGE_DELETED = "page.deleted", _("Page deleted")
    ACTIVITY_UPDATED = "activity.updated", _("Activity updated")
    ACTIVITY_PLACES_CHANGED = "activity.places_changed", _("Places left changed")
    TEST = "webhook.test", _("Test event")


class WebhookEndpointQuerySet(models.QuerySet):
    def for_event(self, site_id: int, event_type: str):
        """Active endpoints of a site that asked for this event (an empty list: all)."""
        return [
            endpoint
            for endpoint in self.filter(site_id=site_id, active=True)
            if not endpoint.event_types or event_type in endpoint.event_types
        ]


class WebhookEndpoint(models.Model):
    """An address (a static front end's build hook, a cache's purge service) that receives
    the site's events, signed with its own secret."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only events about this site's pages are sent here."),
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The address that receives the events (POST)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        editable=False,
        help_text=_("The receiver checks each event's signature with this secret."),
    )
    active = models.BooleanField(_("active"), default=True)
    event_types = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("The events to send; none chosen: all of them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        app_label = "buddypages"
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["site", "url"]

    def __str__(self) -> str:
        return self.description or self.url

    def event_types_display(self) -> str:
        labels = dict(EventType.choices)
        if not self.event_types:
            return str(_("All events"))
        return ", ".join(str(labels.get(name, name)) for name in self.event_types)

    event_types_display.short_description = _("events")


class WebhookDelivery(models.Model):
    """One event for one endpoint, and what happened to it: attempts, the last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # The ``webhook-id`` header: the same on every attempt, so a receiver drops repeats.
    event_id = models.CharField(_("event id"), max_length=64, default="", editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_response_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=EXCERPT_LENGTH + 50, blank=True)
    # One entry per attempt: {"at", "code", "error"} (an excerpt, never a whole body).
    log = models.JSONField(_("attempts log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker holds the row until then; past it, a crashed attempt is tried again.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        app_label = "buddypages"
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} → {self.endpoint}"

    def save(self, *args, **kwargs):
        if not self.event_id:
            self.event_id = f"msg_{uuid.uuid4().hex}"
        super().save(*args, **kwargs)
