"""Background work of the registry: sign-up emails (with retries) and retention."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from buddypages.core.scheduling import schedule_nightly
from buddypages.registry.conf import registry_setting
from buddypages.registry.data_protection import retention_apply
from buddypages.registry.emails import newsletter_confirm_email_send, registration_email_send

logger = logging.getLogger(__name__)


class RegistrationEmailFailed(Exception):
    """The last attempt failed. Carries the participant's number, never their address."""


@task()
def send_registration_email(*, participant_id: int, attempt: int = 1) -> None:
    """Send the sign-up confirmation from a task worker, after the sign-up is committed.

    A failure (the mail server is down) queues the next attempt with a growing
    delay; the registration itself is never touched. After the last attempt
    the task fails and stays visible in the task results.
    """
    try:
        registration_email_send(participant_id=participant_id)
    except Exception as error:
        # Mail errors quote addresses: log and keep only the error's kind.
        kind = type(error).__name__
        if attempt >= registry_setting("EMAIL_ATTEMPTS"):
            raise RegistrationEmailFailed(
                f"Registration email for participant {participant_id} failed "
                f"after {attempt} attempts ({kind})"
            ) from None
        logger.warning(
            "Registration email for participant %s failed (attempt %s, %s); retrying",
            participant_id,
            attempt,
            kind,
        )
        queue_registration_email(participant_id, attempt=attempt + 1)


def queue_registration_email(participant_id: int, attempt: int = 1) -> None:
    """Queue the sign-up email; a retry waits twice as long as the one before."""
    queued = send_registration_email
    if attempt > 1 and queued.get_backend().supports_defer:
        delay = registry_setting("EMAIL_RETRY_SECONDS") * 2 ** (attempt - 2)
        queued = queued.using(run_after=timezone.now() + timedelta(seconds=delay))
    queued.enqueue(participant_id=participant_id, attempt=attempt)


@task()
def send_newsletter_confirm_email(
    *, participant_id: int, language: str, method: str = "", origin: str = ""
) -> None:
    """Send the newsletter's double opt-in link (a request through the API)."""
    newsletter_confirm_email_send(
        participant_id=participant_id, language=language, method=method, origin=origin
    )


def queue_newsletter_confirm_email(
    participant_id: int, *, language: str, method: str = "", origin: str = ""
) -> None:
    send_newsletter_confirm_email.enqueue(
        participant_id=participant_id, language=language, method=method, origin=origin
    )


@task()
def apply_retention() -> dict:
    """Anonymise and remove records past their retention time, then plan the next run."""
    counts = retention_apply()
    schedule_nightly(apply_retention, hour=3)
    return counts


def retention_schedule() -> bool:
    """Make sure one retention run waits in the queue for tonight (03:00). True if queued."""
    return schedule_nightly(apply_retention, hour=3)
