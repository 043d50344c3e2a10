"""ESP tracking webhooks: authenticated, processed once, bounces and complaints suppressed."""

import base64
import hashlib
import hmac
import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsletter import outbox
from newsletter.models import Suppression, WebhookEvent

pytestmark = pytest.mark.django_db

SECRET = "hook-user:hook-password-123"
SIGNING_KEY = "mailgun-signing-key-for-tests"


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def delivered(issue, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send = outbox.send_start(issue=issue, audiences=["duos"])
    return send.deliveries.get(email="wout@example.net")


def auth(credentials=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def postmark(client, payload, credentials=SECRET):
    return client.post(
        "/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        **auth(credentials),
    )


def postmark_bounce(row, *, kind="HardBounce", event_id=4242):
    return {
        "RecordType": "Bounce",
        "Type": kind,
        "ID": event_id,
        "MessageID": "pm-message-1",
        "Email": row.email,
        "BouncedAt": timezone.now().isoformat(),
        "Metadata": {"delivery": str(row.pk), "send": str(row.send_id)},
        "Description": "The server was unable to deliver your message",
    }


def mailgun(client, row, *, key=SIGNING_KEY, credentials=SECRET):
    event_token = "event-1"  # noqa: S105 (Mailgun's event token, not a password)
    timestamp = str(int(timezone.now().timestamp()))
    signature = hmac.new(
        key.encode(), f"{timestamp}{event_token}".encode(), hashlib.sha256
    ).hexdigest()
    payload = {
        "signature": {"timestamp": timestamp, "token": event_token, "signature": signature},
        "event-data": {
            "event": "complained",
            "recipient": row.email,
            "timestamp": float(timestamp),
            "user-variables": {"delivery": str(row.pk), "send": str(row.send_id)},
            "message": {"headers": {"message-id": "mg-message-1"}},
        },
    }
    return client.post(
        "/anymail/mailgun/tracking/",
        json.dumps(payload),
        content_type="application/json",
        **auth(credentials),
    )


def test_a_hard_bounce_updates_the_row_and_suppresses_the_address(delivered):
    response = postmark(Client(), postmark_bounce(delivered))
    assert response.status_code == 200
    delivered.refresh_from_db()
    assert delivered.status == "bounced"
    assert Suppression.objects.filter(email="wout@example.net", reason="bounced").exists()


def test_wrong_credentials_are_rejected_and_change_nothing(delivered):
    client = Client(raise_request_exception=False)
    assert postmark(client, postmark_bounce(delivered), "hook-user:wrong").status_code >= 400
    no_auth = client.post(
        "/anymail/postmark/tracking/",
        json.dumps(postmark_bounce(delivered)),
        content_type="application/json",
    )
    assert no_auth.status_code >= 400
    delivered.refresh_from_db()
    assert delivered.status == "sent"
    assert not Suppression.objects.exists()


def test_a_replayed_event_is_processed_once(delivered):
    client = Client()
    delivery_event = {
        "RecordType": "Delivery",
        "MessageID": "pm-message-1",
        "Recipient": delivered.email,
        "DeliveredAt": timezone.now().isoformat(),
        "Metadata": {"delivery": str(delivered.pk)},
    }
    bounce = postmark_bounce(delivered)
    for payload in (bounce, bounce, delivery_event):
        assert postmark(client, payload).status_code == 200
    assert WebhookEvent.objects.filter(event_type="bounced").count() == 1
    delivered.refresh_from_db()
    assert delivered.status == "bounced"  # a late "delivered" does not hide the bounce


def test_a_soft_bounce_is_not_suppressed(delivered):
    postmark(Client(), postmark_bounce(delivered, kind="SoftBounce", event_id=77))
    assert not Suppression.objects.exists()


def test_mailgun_checks_its_signature_as_well(delivered):
    client = Client(raise_request_exception=False)
    assert mailgun(client, delivered, key="not-the-key").status_code >= 400
    assert mailgun(client, delivered, credentials="x:y").status_code >= 400
    assert not Suppression.objects.exists()
    assert mailgun(client, delivered).status_code == 200
    delivered.refresh_from_db()
    assert delivered.status == "complained"
    assert Suppression.objects.filter(email="wout@example.net", reason="complained").exists()


def test_a_suppressed_address_is_skipped_in_the_next_send(
    issue, delivered, django_capture_on_commit_callbacks
):
    postmark(Client(), postmark_bounce(delivered))
    with django_capture_on_commit_callbacks(execute=True):
        send = outbox.send_start(issue=issue, audiences=["duos"])
    assert send.deliveries.get(email="wout@example.net").status == "suppressed"
    assert [m.to for m in mail.outbox].count(["wout@example.net"]) == 1  # the first send only
