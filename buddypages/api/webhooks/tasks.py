"""The task queue's side of publish webhooks (see :mod:`buddypages.api.webhooks.services`)."""

from django_tasks import task


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    """One attempt of one delivery, if it is due; otherwise nothing."""
    from buddypages.api.webhooks.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
