import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_duo_emails(*, duo_id: int, kind: str) -> None:
    """Email both members of a duo (introduction or their meeting-log links)."""
    from buddypages.duos.emails import duo_emails_send

    duo_emails_send(duo_id=duo_id, kind=kind)


@task()
def remind_feedback_due() -> int:
    """Email coordinators, each morning, how many midway feedback moments are due (no names)."""
    from buddypages.duos.emails import feedback_reminder_send
    from buddypages.scheduling import schedule_nightly

    sent = feedback_reminder_send()
    schedule_nightly(remind_feedback_due, hour=7)
    return sent
