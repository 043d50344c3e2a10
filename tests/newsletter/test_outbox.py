"""Sending through the outbox in one process (the task queue runs tasks at once here)."""

import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsletter import outbox
from newsletter.models import Delivery, NewsletterIssuePage, Send, Suppression
from tests.newsletter import failing_backend

pytestmark = pytest.mark.django_db


def sent_to():
    return sorted(m.to[0] for m in mail.outbox)


def start(issue, audiences, **kwargs):
    return outbox.send_start(issue=issue, audiences=audiences, **kwargs)


def test_a_send_freezes_its_recipients_and_mails_each_once(
    issue, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos", "subscribers", "everyone"])
    send.refresh_from_db()
    rows = list(send.deliveries.values_list("email", flat=True))
    assert len(rows) == len(set(rows)) == send.total
    assert send.status == "done"
    assert sent_to() == sorted(rows)
    assert "stop@example.net" not in rows
    assert set(send.deliveries.values_list("status", flat=True)) == {"sent"}
    # The issue is now in the archive, in every language.
    assert not NewsletterIssuePage.objects.filter(
        translation_key=issue.translation_key, sent_at__isnull=True
    ).exists()
    # And the action is in Wagtail's audit log.
    assert PageLogEntry.objects.filter(page=issue, action="newsletter.send_issue").exists()


def test_the_frozen_list_does_not_follow_later_changes(issue, people):
    send = start(issue, ["duos"])  # on_commit never runs here: nothing is sent yet
    people["newcomer"].email = "changed@example.net"
    people["newcomer"].save()
    assert "rania@example.net" in send.deliveries.values_list("email", flat=True)


def test_suppressed_addresses_are_never_sent(issue, people, django_capture_on_commit_callbacks):
    Suppression.objects.create(email="wout@example.net", reason="bounced")
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"])
    assert "rania@example.net" in sent_to()
    assert "wout@example.net" not in sent_to()
    assert send.deliveries.get(email="wout@example.net").status == "suppressed"


def test_a_scheduled_send_waits_on_the_task_queue(
    issue, people, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    later = timezone.now() + timezone.timedelta(days=2)
    with pytest.raises(outbox.SendError):
        start(issue, ["duos"], at=later)  # tasks run at once here: nothing could wait
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"], at=later)
    send.refresh_from_db()
    assert send.status == "scheduled"
    assert mail.outbox == []
    queued = DBTaskResult.objects.filter(task_path="newsletter.tasks.deliver_batch")
    assert queued.count() == send.chains + 2  # the chains, and two delayed safety steps
    assert all(task.run_after >= later for task in queued)
    assert outbox.deliver_batch(send.pk) == "waiting"
    assert PageLogEntry.objects.filter(page=issue, action="newsletter.schedule_issue").exists()


def test_pause_resume_and_cancel(issue, people, django_capture_on_commit_callbacks):
    send = start(issue, ["everyone"])  # queued, not yet sent
    outbox.send_pause(send=send)
    assert outbox.deliver_batch(send.pk) == "paused"
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_resume(send=send)
    send.refresh_from_db()
    assert send.status == "done"
    assert len(mail.outbox) == send.total
    with pytest.raises(outbox.SendError):
        outbox.send_cancel(send=send)  # already done

    mail.outbox = []
    other = start(issue, ["everyone"])
    outbox.send_cancel(send=other)
    assert set(other.deliveries.values_list("status", flat=True)) == {"cancelled"}
    assert outbox.deliver_batch(other.pk) == "cancelled"
    assert mail.outbox == []
    actions = set(PageLogEntry.objects.filter(page=issue).values_list("action", flat=True))
    assert {"newsletter.pause_send", "newsletter.resume_send", "newsletter.cancel_send"} <= actions


def test_temporary_errors_are_retried_then_the_row_fails_with_a_reason(
    issue, people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.newsletter.failing_backend.EmailBackend"
    settings.BUDDY_NEWSLETTER = {"RETRY_SECONDS": 0.01, "MAX_ATTEMPTS": 3}
    failing_backend.reset(
        {
            "rania@example.net": [smtplib.SMTPServerDisconnected("gone")] * 2,
            "wout@example.net": [smtplib.SMTPServerDisconnected("gone")] * 5,
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"])
    rania = send.deliveries.get(email="rania@example.net")
    wout = send.deliveries.get(email="wout@example.net")
    assert (rania.status, rania.attempts) == ("sent", 2)
    assert (wout.status, wout.attempts) == ("failed", 3)
    assert wout.error.startswith("SMTPServerDisconnected")
    assert "@" not in wout.error
    assert "rania@example.net" in failing_backend.sent
    assert "wout@example.net" not in failing_backend.sent


def test_a_refused_address_fails_at_once_and_is_suppressed(
    issue, people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.newsletter.failing_backend.EmailBackend"
    refused = smtplib.SMTPRecipientsRefused({"wout@example.net": (550, b"no such user")})
    failing_backend.reset({"wout@example.net": [refused]})
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"])
    wout = send.deliveries.get(email="wout@example.net")
    assert (wout.status, wout.attempts) == ("failed", 1)
    assert Suppression.objects.filter(email="wout@example.net", reason="rejected").exists()


def test_the_rate_limit_spreads_the_messages(
    issue, demo, settings, django_capture_on_commit_callbacks
):
    from tests.buddypages.registry.helpers import participant

    for number in range(12):
        participant(
            demo.programme,
            status="waiting",
            email=f"rate{number}@example.net",
            newsletter_status="confirmed",
        )
    settings.BUDDY_NEWSLETTER = {"RATE_PER_SECOND": 20, "PARALLEL": 1}
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["waiting"])
    times = sorted(send.deliveries.filter(status="sent").values_list("sent_at", flat=True))
    assert len(times) >= 12
    spread = (times[-1] - times[0]).total_seconds()
    assert spread >= (len(times) - 1) / 20 * 0.9  # never faster than 20 a second


def test_messages_carry_metadata_and_no_tracking(issue, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"])
    message = next(m for m in mail.outbox if m.to == ["rania@example.net"])
    row = send.deliveries.get(email="rania@example.net")
    assert message.metadata == {"delivery": row.pk, "send": send.pk}
    assert message.track_opens is False
    assert message.track_clicks is False
    assert message.extra_headers["X-Idempotency-Key"] == row.idempotency_key
    assert row.esp_message_id == str(message.anymail_status.message_id)


def test_bad_audiences_and_unpublished_issues_are_refused(issue, people):
    with pytest.raises(outbox.SendError):
        start(issue, ["martians"])
    with pytest.raises(outbox.SendError):
        start(issue, [])
    NewsletterIssuePage.objects.filter(translation_key=issue.translation_key).update(live=False)
    with pytest.raises(outbox.SendError):
        start(issue, ["duos"])
    assert not Send.objects.exists()


def test_the_command_starts_and_follows_a_send(
    issue, people, capsys, django_capture_on_commit_callbacks
):
    from django.core.management.base import CommandError

    from newsletter.audiences import recipients_for

    expected = len(recipients_for(["duos", "subscribers"]))
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_newsletter", str(issue.pk), "--audience", "duos", "--audience", "subscribers"
        )
    assert capsys.readouterr().out.startswith(f"{expected} recipients")
    call_command("send_newsletter", str(issue.pk), "--status")
    assert capsys.readouterr().out.startswith(f"{expected}/{expected} sent, 0 failed")
    assert Delivery.objects.filter(status="sent").count() == expected
    with pytest.raises(CommandError):
        call_command("send_newsletter", str(issue.pk), "--pause")  # it has finished


def test_a_step_lost_before_it_queued_its_successor_does_not_end_the_send(
    issue, people, settings, django_capture_on_commit_callbacks
):
    """A worker killed right after taking a step from the queue: the delayed
    steps that always wait in the queue carry the send on."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BUDDY_NEWSLETTER = {"PARALLEL": 1, "LEASE_SECONDS": 1}
    with django_capture_on_commit_callbacks(execute=True):
        send = start(issue, ["duos"])
    steps = DBTaskResult.objects.filter(task_path="newsletter.tasks.deliver_batch")
    assert steps.count() == 3  # the chain's first step and two delayed ones
    first = steps.order_by("run_after").first()
    first.status = TaskResultStatus.RUNNING  # taken by a worker that then died
    first.save()
    waiting = steps.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 2
    assert outbox.deliver_batch(send.pk).startswith("sent batch")  # a delayed one, later
    while outbox.deliver_batch(send.pk) != "done":
        pass
    send.refresh_from_db()
    assert send.status == "done"
    assert set(send.deliveries.values_list("status", flat=True)) == {"sent"}
