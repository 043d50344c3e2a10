from django_tasks import task


@task()
def deliver_batch(*, send_id: int) -> str:
    """One step of a send's chain (see newsletter.outbox)."""
    from newsletter.outbox import deliver_batch as step
    from newsletter.outbox import drive_inline

    if not deliver_batch.get_backend().supports_defer:
        # The immediate backend (tests, or no queue configured) runs the whole
        # send here instead of chaining thousands of nested tasks.
        return drive_inline(send_id)
    return step(send_id)
