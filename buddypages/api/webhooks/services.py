"""Queueing events, delivering them (a signed POST), and retrying with backoff.

Each event becomes one :class:`WebhookDelivery` row per endpoint, written in the caller's
transaction; the task queue gets the attempt once it commits. An attempt holds the row with a
lease, POSTs outside any transaction and records the answer on the row. A failure waits
``BUDDYPAGES["WEBHOOK_RETRY_SECONDS"]`` (1 min, 5 min, 30 min, 2 h, 6 h) before the next
attempt; after the last one the delivery has failed and waits for "retry now" in the admin.

What a crash costs: every attempt queued for later has a second task queued behind it, past
the lease, and an attempt that takes a row queues one more past its own lease; the first of
them to find the row due sends it, the others find nothing to do. So a worker killed at any
moment delays a delivery by a lease, and at worst sends one event twice (with the same
``webhook-id``, which receivers use to drop repeats).

With a backend that cannot run tasks later (the immediate backend of tests), retries follow
at once.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks import Webhook

from buddypages.api.webhooks.models import (
    EXCERPT_LENGTH,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
)
from buddypages.conf import buddypages_setting

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
USER_AGENT = "buddypages-webhooks/1"
LEASE_MARGIN = 30  # seconds past the timeout before another worker may take the row over


def _lease_seconds() -> int:
    return buddypages_setting("WEBHOOK_TIMEOUT") + LEASE_MARGIN


# --- Queueing ---------------------------------------------------------------------------------


def events_queue(*, site_id: int, events: list[dict]) -> list[WebhookDelivery]:
    """One delivery per event and active endpoint of the site; sent once committed."""
    rows = [
        WebhookDelivery(endpoint=endpoint, event_type=payload["type"], payload=payload)
        for payload in events
        for endpoint in WebhookEndpoint.objects.for_event(site_id, payload["type"])
    ]
    for row in rows:
        row.save()
    if rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue_all(ids))
    return rows


def endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event to one endpoint (active or not), through the same queue and log."""
    from buddypages.api.webhooks.events import event

    payload = event(
        EventType.TEST,
        {
            "id": None,
            "type": None,
            "locale": None,
            "url": None,
            "path": None,
            "site": endpoint.site.hostname,
            "api_url": None,
        },
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type=EventType.TEST, payload=payload
    )
    transaction.on_commit(lambda: _enqueue_all([delivery.pk]))
    return delivery


def delivery_retry_now(*, delivery: WebhookDelivery) -> bool:
    """Try a waiting or failed delivery again at once. False if it is delivered or sending."""
    updated = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=[Status.PENDING, Status.FAILED]
    ).update(status=Status.PENDING, next_attempt_at=timezone.now(), lease_until=None)
    if updated:
        transaction.on_commit(lambda: _enqueue_all([delivery.pk]))
    return bool(updated)


def _enqueue_all(ids: list[int]) -> None:
    for pk in ids:
        _enqueue(pk)


def _enqueue(delivery_id: int, *, at: datetime | None = None, backup: bool = True) -> None:
    from buddypages.api.webhooks.tasks import deliver_webhook

    task = deliver_webhook
    if not task.get_backend().supports_defer:
        task.enqueue(delivery_id=delivery_id)
        return
    if at is not None and at > timezone.now():
        task.using(run_after=at).enqueue(delivery_id=delivery_id)
    else:
        task.enqueue(delivery_id=delivery_id)
    if backup:
        later = (at or timezone.now()) + timedelta(seconds=_lease_seconds() + 5)
        task.using(run_after=later).enqueue(delivery_id=delivery_id)


# --- One attempt ------------------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int) -> str:
    """Send a due delivery once and record the answer. Returns what happened."""
    now = timezone.now()
    lease = now + timedelta(seconds=_lease_seconds())
    due = Q(status=Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=Status.SENDING, lease_until__lt=now)
    with transaction.atomic():
        taken = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .filter(due)
            .update(status=Status.SENDING, lease_until=lease)
        )
    if not taken:
        return "not due"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if _supports_defer():
        # Should this worker die during the POST, someone takes the row over after the lease.
        _enqueue(delivery_id, at=lease + timedelta(seconds=1), backup=False)
    code, error = post(delivery)
    return _record(delivery, lease=lease, code=code, error=error)


def _supports_defer() -> bool:
    from buddypages.api.webhooks.tasks import deliver_webhook

    return deliver_webhook.get_backend().supports_defer


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers: the event's id, the time of sending, the signature."""
    sent_at = timezone.now()
    signature = Webhook(delivery.endpoint.secret).sign(delivery.event_id, sent_at, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to record, not a place to send the event again."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the event. (status code or None, a short error excerpt or "")."""
    body = body_of(delivery)
    request = urllib.request.Request(  # noqa: S310 (http and https only: the model's validator)
        delivery.endpoint.url,
        data=body,
        headers=signed_headers(delivery, body),
        method="POST",
    )
    timeout = buddypages_setting("WEBHOOK_TIMEOUT")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        try:
            excerpt = answer.read(EXCERPT_LENGTH).decode("utf-8", "replace")
        except OSError:
            excerpt = ""
        return answer.code, _excerpt(f"HTTP {answer.code} {excerpt}".strip())
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        return None, _excerpt(f"{type(failure).__name__}: {reason}")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _record(delivery: WebhookDelivery, *, lease: datetime, code: int | None, error: str) -> str:
    now = timezone.now()
    attempts = delivery.attempts + 1
    log = [*delivery.log, {"at": now.isoformat(), "code": code, "error": error}]
    fields = {
        "attempts": attempts,
        "last_response_code": code,
        "last_error": error,
        "log": log,
        "lease_until": None,
    }
    delays = buddypages_setting("WEBHOOK_RETRY_SECONDS")
    if code is not None and 200 <= code < 300:
        outcome = Status.DELIVERED
        fields.update(status=Status.DELIVERED, delivered_at=now, next_attempt_at=None)
    elif attempts > len(delays):
        outcome = Status.FAILED
        fields.update(status=Status.FAILED, next_attempt_at=None)
    else:
        outcome = "retrying"
        wait = delays[attempts - 1] if _supports_defer() else 0
        fields.update(status=Status.PENDING, next_attempt_at=now + timedelta(seconds=wait))
    # Only if the row is still ours: after a lease ran out another worker may own it.
    saved = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=Status.SENDING, lease_until=lease
    ).update(**fields)
    if not saved:
        return "taken over"
    if outcome == "retrying":
        logger.warning(
            "Webhook delivery %s to endpoint %s failed (attempt %s, %s); retrying",
            delivery.pk,
            delivery.endpoint_id,
            attempts,
            code or error.split(":", 1)[0],
        )
        _enqueue(delivery.pk, at=fields["next_attempt_at"])
    elif outcome == Status.FAILED:
        logger.warning(
            "Webhook delivery %s to endpoint %s failed after %s attempts",
            delivery.pk,
            delivery.endpoint_id,
            attempts,
        )
    return outcome
