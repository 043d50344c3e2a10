"""Nightly jobs on the task queue, without cron.

A nightly task queues its next run when it finishes, and every ``migrate``
(every deployment) makes sure one run is waiting. The database queue keeps
them, so a running task worker is all a deployment needs.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone


def next_night(hour: int = 3) -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(hour, 0)))


def schedule_nightly(task, *, hour: int = 3) -> bool:
    """Queue ``task`` for the coming night unless a run is already waiting. True if queued.

    Backends that cannot run tasks later (the immediate backend in tests) are left alone.
    """
    if not task.get_backend().supports_defer:
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    if waiting.exists():
        return False
    task.using(run_after=next_night(hour)).enqueue()
    return True


def schedule_all() -> None:
    from buddypages.duos.tasks import remind_feedback_due
    from buddypages.registry.tasks import apply_retention

    schedule_nightly(apply_retention, hour=3)
    schedule_nightly(remind_feedback_due, hour=7)
