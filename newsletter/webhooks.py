"""ESP tracking events (anymail's signal): delivery status, bounces, complaints.

anymail's webhook views authenticate every call (the WEBHOOK_SECRET basic
auth, and the provider's signature where it signs) before this runs.
Providers retry and replay events: each event is processed once.
"""

from __future__ import annotations

import logging

from anymail.signals import tracking
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from newsletter.models import Delivery, Suppression, WebhookEvent

logger = logging.getLogger(__name__)

STATUS_FOR_EVENT = {
    "delivered": Delivery.Status.DELIVERED,
    "opened": Delivery.Status.OPENED,
    "clicked": Delivery.Status.OPENED,
    "bounced": Delivery.Status.BOUNCED,
    "complained": Delivery.Status.COMPLAINED,
    "rejected": Delivery.Status.FAILED,
    "failed": Delivery.Status.FAILED,
}
# A later event never turns a worse outcome back into a better one.
RANK = {
    Delivery.Status.SENT: 0,
    Delivery.Status.DELIVERED: 1,
    Delivery.Status.OPENED: 2,
    Delivery.Status.FAILED: 3,
    Delivery.Status.BOUNCED: 4,
    Delivery.Status.COMPLAINED: 5,
}
SUPPRESS = {
    "bounced": Suppression.Reason.BOUNCED,
    "complained": Suppression.Reason.COMPLAINED,
}


def _event_key(event) -> str:
    if event.event_id:
        return str(event.event_id)
    # Providers without event ids: the same message, type and moment is the same event.
    return f"{event.message_id}:{event.event_type}:{event.timestamp}:{event.recipient}"


@receiver(tracking, dispatch_uid="newsletter.tracking")
def handle_tracking(sender, event, esp_name, **kwargs):
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                esp=esp_name, event_id=_event_key(event)[:255], event_type=event.event_type
            )
            _apply(event)
    except IntegrityError:
        logger.info("Tracking event from %s seen before; ignored", esp_name)


def _apply(event) -> None:
    delivery = _find(event)
    status = STATUS_FOR_EVENT.get(event.event_type)
    if event.event_type == "bounced" and _soft_bounce(event):
        status = None  # a temporary problem: the provider keeps trying
    worse_or_equal = (
        delivery is not None
        and status is not None
        and RANK.get(status, 0) >= RANK.get(delivery.status, 0)
    )
    if worse_or_equal:
        delivery.status = status
        delivery.error = (event.reject_reason or event.description or "")[:255]
        delivery.save(update_fields=["status", "error", "updated_at"])
    if event.event_type in SUPPRESS and event.recipient and not _soft_bounce(event):
        # Bounced or complained about one municipality's mail: that municipality stops
        # (an event naming no delivery of ours stops every municipality).
        Suppression.objects.suppress(
            event.recipient,
            site_id=delivery.send.site_id if delivery is not None else None,
            reason=SUPPRESS[event.event_type],
            detail=event.reject_reason or "",
        )


def _soft_bounce(event) -> bool:
    """Some providers report temporary bounces as bounces: those are not suppressed."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    return (
        raw.get("Type") in ("SoftBounce", "Transient")  # Postmark
        or raw.get("bounceType") == "Transient"  # Amazon SES
        or raw.get("severity") == "temporary"  # Mailgun
    )


def _find(event) -> Delivery | None:
    metadata = event.metadata or {}
    delivery_id = metadata.get("delivery")
    if delivery_id is not None:
        try:
            return Delivery.objects.filter(pk=int(delivery_id)).first()
        except (TypeError, ValueError):
            pass
    if event.message_id:
        return Delivery.objects.filter(esp_message_id=str(event.message_id)).first()
    return None
