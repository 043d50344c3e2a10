"""Sending an issue through the outbox: exactly once per recipient, whatever happens.

Starting a send writes one Delivery row per recipient in one transaction. Task
workers then work in *chains*: a task claims a small batch of rows with a lease,
queues its successor at once (so a worker killed mid-batch never ends the chain),
and sends the batch one message at a time, recording each result as soon as the
provider answers. The provider call never runs inside a database transaction.

What a kill (SIGKILL) costs: rows a dead worker claimed but did not send are
claimed again when their lease runs out. The one message in flight at the
moment of the kill may have reached the provider without being recorded, and is
then sent once more: that is the only duplicate possible (none with providers
that de-duplicate by our idempotency key or message metadata).
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from datetime import datetime, timedelta

from django.core import mail
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from newsletter.audiences import AUDIENCES, recipients_for
from newsletter.conf import newsletter_setting
from newsletter.models import Delivery, NewsletterIssuePage, Send, Suppression
from newsletter.rendering import IssueRenderer, Recipient

logger = logging.getLogger(__name__)
Status = Delivery.Status
_renderers: dict[int, IssueRenderer] = {}


class SendError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Starting and controlling a send ---------------------------------------------------


def send_start(
    *, issue, audiences: list[str], programme_key=None, at: datetime | None = None, user=None
) -> Send:
    """Freeze the recipient list and queue the send (now, or at ``at``)."""
    unknown = [name for name in audiences if name not in AUDIENCES]
    if not audiences or unknown:
        raise SendError(
            _("Choose one or more audiences from: %(names)s") % {"names": ", ".join(AUDIENCES)}
        )
    source = NewsletterIssuePage.objects.filter(translation_key=issue.translation_key)
    if not source.live().exists():
        raise SendError(_("Publish the issue before you send it."))
    now = timezone.now()
    send_after = max(at or now, now)
    if send_after > now:
        from newsletter.tasks import deliver_batch as task

        if not task.get_backend().supports_defer:
            raise SendError(
                _("Sending later needs the task queue, and this site runs tasks at once.")
            )
    site = issue.get_site()
    recipients = recipients_for(audiences, programme_key, site_id=site.pk if site else None)
    suppressed = set(
        Suppression.objects.for_site(site.pk if site else None).values_list("email", flat=True)
    )
    with transaction.atomic():
        send = Send.objects.create(
            issue=issue,
            issue_key=issue.translation_key,
            subject=issue.subject,
            audiences=list(audiences),
            programme_key=programme_key,
            site=site,
            status=Send.Status.SCHEDULED if send_after > now else Send.Status.SENDING,
            send_after=send_after,
            chains=max(1, newsletter_setting("PARALLEL")),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        Delivery.objects.bulk_create(
            (
                Delivery(
                    send=send,
                    participant_id=r.participant_id,
                    email=r.email,
                    first_name=r.first_name,
                    buddy_first_name=r.buddy_first_name,
                    language=r.language,
                    kind=r.kind,
                    status=Status.SUPPRESSED if r.email.lower() in suppressed else Status.QUEUED,
                )
                for r in recipients
            ),
            batch_size=500,
        )
        send.total = len(recipients)
        send.save(update_fields=["total"])
        # The archive shows the issue from the moment it goes out.
        source.filter(Q(sent_at__isnull=True) | Q(sent_at__gt=send_after)).update(
            sent_at=send_after
        )
        action = "newsletter.schedule_issue" if send_after > now else "newsletter.send_issue"
        log(
            instance=issue,
            action=action,
            user=user,
            data={
                "send": send.pk,
                "audiences": list(audiences),
                "recipients": send.total,
                "at": send_after.isoformat(),
            },
        )
        transaction.on_commit(lambda: _start_chains(send))
    return send


def _start_chains(send: Send) -> None:
    for _chain in range(send.chains):
        _enqueue(send.pk, after=send.send_after)
    _ensure_watchdogs(send)


def send_pause(*, send: Send, user=None) -> Send:
    if send.status not in (Send.Status.SENDING, Send.Status.SCHEDULED):
        raise SendError(_("Only a send that is going or planned can be paused."))
    with transaction.atomic():
        send.status = Send.Status.PAUSED
        send.save(update_fields=["status"])
        _log(send, "newsletter.pause_send", user)
    return send


def send_resume(*, send: Send, user=None) -> Send:
    if send.status != Send.Status.PAUSED:
        raise SendError(_("Only a paused send can be resumed."))
    with transaction.atomic():
        send.status = (
            Send.Status.SCHEDULED if send.send_after > timezone.now() else Send.Status.SENDING
        )
        send.save(update_fields=["status"])
        _log(send, "newsletter.resume_send", user)
        transaction.on_commit(lambda: _start_chains(send))
    return send


def send_cancel(*, send: Send, user=None) -> Send:
    if send.status in (Send.Status.DONE, Send.Status.CANCELLED):
        raise SendError(_("This send has already ended."))
    with transaction.atomic():
        send.status = Send.Status.CANCELLED
        send.finished_at = timezone.now()
        send.save(update_fields=["status", "finished_at"])
        send.deliveries.filter(status=Status.QUEUED).update(status=Status.CANCELLED)
        _log(send, "newsletter.cancel_send", user)
    return send


def _log(send: Send, action: str, user) -> None:
    if send.issue is not None:
        log(instance=send.issue, action=action, user=user, data={"send": send.pk})


# --- The worker side -------------------------------------------------------------------------


def _enqueue(send_id: int, *, after: datetime | None = None) -> None:
    from newsletter.tasks import deliver_batch

    task = deliver_batch
    if after is not None and after > timezone.now() and task.get_backend().supports_defer:
        task = task.using(run_after=after)
    task.enqueue(send_id=send_id)


def _claim(send: Send, worker: str) -> list[Delivery]:
    now = timezone.now()
    claimable = Delivery.objects.filter(send=send).filter(
        Q(status=Status.QUEUED, not_before__isnull=True)
        | Q(status=Status.QUEUED, not_before__lte=now)
        | Q(status=Status.CLAIMED, lease_until__lt=now)
    )
    with transaction.atomic():
        # SKIP LOCKED on PostgreSQL: parallel workers take different rows. SQLite
        # serialises writers (IMMEDIATE transactions) and ignores the clause.
        rows = list(
            claimable.order_by("pk").select_for_update(skip_locked=True)[
                : newsletter_setting("BATCH_SIZE")
            ]
        )
        lease = now + timedelta(seconds=newsletter_setting("LEASE_SECONDS"))
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.CLAIMED, lease_until=lease, claimed_by=worker
        )
    return rows


def deliver_batch(send_id: int) -> str:
    """One step of a chain: claim, queue the successor, send, record. Returns what it did."""
    send = Send.objects.filter(pk=send_id).first()
    if send is None:
        return "gone"
    if send.status == Send.Status.SCHEDULED:
        if send.send_after > timezone.now():
            _enqueue(send_id, after=send.send_after)
            return "waiting"
        Send.objects.filter(pk=send_id, status=Send.Status.SCHEDULED).update(
            status=Send.Status.SENDING
        )
        send.status = Send.Status.SENDING
    if send.status != Send.Status.SENDING:
        return send.status
    _ensure_watchdogs(send)
    worker = uuid.uuid4().hex[:12]
    rows = _claim(send, worker)
    if not rows:
        return _idle(send)
    _enqueue(send_id)  # before sending: a killed worker never stops the chain
    _send_rows(send, rows, worker)
    return f"sent batch of {len(rows)}"


def _ensure_watchdogs(send: Send) -> None:
    """Keep two delayed steps of this send waiting in the queue.

    A worker killed right after taking a step from the queue, before that step
    queued its successor, would otherwise end the chain for good (the queue
    never hands a dead worker's task to anyone else). With two delayed steps
    always waiting, one is still there whatever moment the kill comes; a step
    that finds the send finished just ends.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from newsletter.tasks import deliver_batch as task

    if not task.get_backend().supports_defer:
        return
    now = max(timezone.now(), send.send_after)
    waiting = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path=task.module_path,
            run_after__gt=now,
            args_kwargs__kwargs__send_id=send.pk,
        )
        .exclude(run_after=get_date_max())
        .count()
    )
    lease = newsletter_setting("LEASE_SECONDS")
    for number in range(waiting, 2):
        _enqueue(send.pk, after=now + timedelta(seconds=lease * (number + 1) + 2))


def _idle(send: Send) -> str:
    """No row to claim now: wait for leases or retries, or finish."""
    waiting = send.deliveries.filter(status__in=[Status.QUEUED, Status.CLAIMED]).aggregate(
        lease=Min("lease_until", filter=Q(status=Status.CLAIMED)),
        retry=Min("not_before", filter=Q(status=Status.QUEUED)),
    )
    times = [t for t in (waiting["lease"], waiting["retry"]) if t is not None]
    if times or send.deliveries.filter(status=Status.QUEUED).exists():
        next_time = min(times) if times else timezone.now()
        _enqueue(send.pk, after=next_time + timedelta(milliseconds=200))
        return "waiting for leases or retries"
    updated = Send.objects.filter(pk=send.pk, status=Send.Status.SENDING).update(
        status=Send.Status.DONE, finished_at=timezone.now()
    )
    return "done" if updated else "already done"


def _renderer(send: Send) -> IssueRenderer:
    renderer = _renderers.get(send.pk)
    if renderer is None:
        issue = (
            send.issue or NewsletterIssuePage.objects.filter(translation_key=send.issue_key).first()
        )
        renderer = IssueRenderer(issue, send_time=send.send_after)
        _renderers.clear()  # one send at a time per process is the common case
        _renderers[send.pk] = renderer
    return renderer


def _send_rows(send: Send, rows: list[Delivery], worker: str) -> None:
    renderer = _renderer(send)
    rate = newsletter_setting("RATE_PER_SECOND")
    interval = send.chains / rate if rate else 0.0
    suppressed = set(
        Suppression.objects.for_site(send.site_id)
        .filter(email__in=[row.email for row in rows])
        .values_list("email", flat=True)
    )
    connection = mail.get_connection()
    next_at = time.monotonic()
    try:
        for index, row in enumerate(rows):
            if index and index % 5 == 0 and _stopped(send.pk):
                _release(rows[index:], worker)
                return
            if row.email in suppressed:
                _record(row, worker, status=Status.SUPPRESSED)
                continue
            if interval:
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                next_at = max(next_at, time.monotonic()) + interval
            _send_one(renderer, connection, row, worker)
    finally:
        connection.close()


def _stopped(send_id: int) -> bool:
    return Send.objects.filter(pk=send_id).exclude(status=Send.Status.SENDING).exists()


def _release(rows: list[Delivery], worker: str) -> None:
    Delivery.objects.filter(
        pk__in=[row.pk for row in rows], status=Status.CLAIMED, claimed_by=worker
    ).update(status=Status.QUEUED, lease_until=None, claimed_by="")


def _message(renderer: IssueRenderer, row: Delivery):
    message = renderer.message(
        Recipient(
            email=row.email,
            first_name=row.first_name,
            language=row.language,
            kind=row.kind,
            buddy_first_name=row.buddy_first_name,
            participant_id=row.participant_id,
        )
    )
    # anymail: find the row again from webhooks; providers that de-duplicate use the key.
    message.metadata = {"delivery": row.pk, "send": row.send_id}
    message.track_opens = newsletter_setting("TRACK_OPENS")
    message.track_clicks = newsletter_setting("TRACK_CLICKS")
    message.extra_headers["X-Idempotency-Key"] = row.idempotency_key
    return message


def _send_one(renderer: IssueRenderer, connection, row: Delivery, worker: str) -> None:
    message = _message(renderer, row)
    try:
        connection.send_messages([message])
    except Exception as error:  # classified below; nothing is lost
        permanent, reason = _classify(error)
        attempts = row.attempts + 1
        if permanent or attempts >= newsletter_setting("MAX_ATTEMPTS"):
            if permanent and _refused(error):
                Suppression.objects.suppress(
                    row.email,
                    site_id=Send.objects.filter(pk=row.send_id)
                    .values_list("site_id", flat=True)
                    .first(),
                    reason=Suppression.Reason.REJECTED,
                    detail=reason,
                )
            _record(row, worker, status=Status.FAILED, attempts=attempts, error=reason)
        else:
            wait = newsletter_setting("RETRY_SECONDS") * 2 ** (attempts - 1)
            _record(
                row,
                worker,
                status=Status.QUEUED,
                attempts=attempts,
                error=reason,
                not_before=timezone.now() + timedelta(seconds=wait),
            )
        logger.warning("Newsletter delivery %s: %s (attempt %s)", row.pk, reason, attempts)
        return
    status = getattr(message, "anymail_status", None)
    message_id = (status.message_id if status is not None else None) or ""
    _record(row, worker, status=Status.SENT, sent_at=timezone.now(), esp_message_id=str(message_id))


def _record(row: Delivery, worker: str, **fields) -> None:
    """Save a row's outcome, unless another worker took it over after our lease ran out."""
    fields.setdefault("lease_until", None)
    fields.setdefault("not_before", None)
    Delivery.objects.filter(pk=row.pk, claimed_by=worker).update(
        updated_at=timezone.now(), **fields
    )


def _refused(error: Exception) -> bool:
    from anymail.exceptions import AnymailRecipientsRefused

    return isinstance(error, AnymailRecipientsRefused | smtplib.SMTPRecipientsRefused)


def _classify(error: Exception) -> tuple[bool, str]:
    """(permanent?, a short reason without any address)."""
    from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused

    kind = type(error).__name__
    if isinstance(error, AnymailRecipientsRefused):
        return True, kind
    if isinstance(error, AnymailAPIError):
        code = getattr(error, "status_code", None)
        temporary = code is None or code >= 500 or code in (408, 429)
        return not temporary, f"{kind} {code or ''}".strip()
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return all(code >= 500 for code in codes), f"{kind} {codes}"
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500, f"{kind} {error.smtp_code}"
    return False, kind  # connection problems and the unknown: try again later


def drive_inline(send_id: int) -> str:
    """Run a send to the end in this process (for backends that cannot queue for later)."""
    outcome = ""
    for _step in range(1_000_000):
        send = Send.objects.get(pk=send_id)
        if send.status == Send.Status.SCHEDULED and send.send_after > timezone.now():
            return "waiting"
        if send.status not in (Send.Status.SENDING, Send.Status.SCHEDULED):
            return send.status
        rows = _claim(send, "inline")
        if not rows:
            pending = send.deliveries.filter(status__in=[Status.QUEUED, Status.CLAIMED])
            if not pending.exists():
                Send.objects.filter(pk=send_id, status=Send.Status.SENDING).update(
                    status=Send.Status.DONE, finished_at=timezone.now()
                )
                return "done"
            # Retries or leases in the future: wait for the earliest.
            soonest = pending.aggregate(t=Min("not_before"), lease=Min("lease_until"))
            moments = [t for t in soonest.values() if t is not None]
            time.sleep(
                max(0.0, (min(moments) - timezone.now()).total_seconds()) if moments else 0.05
            )
            continue
        _send_rows(send, rows, "inline")
        outcome = "sent"
    return outcome
