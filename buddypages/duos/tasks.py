import logging

from django_tasks import task

from buddypages.core.scheduling import schedule_nightly
from buddypages.duos.certificates import closing_emails_send
from buddypages.duos.emails import duo_emails_send, feedback_reminder_send
from buddypages.duos.moments import feedback_invitations_send

logger = logging.getLogger(__name__)


@task()
def send_duo_emails(*, duo_id: int, kind: str) -> None:
    """Email both members of a duo (introduction or their meeting-log links)."""
    duo_emails_send(duo_id=duo_id, kind=kind)


@task()
def send_closing_emails(*, duo_id: int) -> int:
    """Email both members of a completed duo their certificate and the closing invitation."""
    return closing_emails_send(duo_id=duo_id)


@task()
def remind_feedback_due() -> int:
    """Each morning: invite members to the feedback moments that opened, and email
    coordinators how many midway feedback moments are due (no names)."""
    sent = feedback_invitations_send()
    sent += feedback_reminder_send()
    schedule_nightly(remind_feedback_due, hour=7)
    return sent


def feedback_reminders_schedule() -> bool:
    """Make sure one reminder run waits in the queue for the morning (07:00). True if queued."""
    return schedule_nightly(remind_feedback_due, hour=7)
