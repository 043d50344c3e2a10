"""Nightly jobs on the task queue, without cron.

A nightly task queues its next run when it finishes, and every ``migrate``
(every deployment) makes sure one run is waiting (``buddypages.apps`` names the jobs). The
database queue keeps them, so a running task worker is all a deployment needs.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus


def next_night(hour: int = 3) -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(hour, 0)))


def schedule_nightly(task, *, hour: int = 3) -> bool:
    """Queue ``task`` for the coming night unless a run is already waiting. True if queued.

    Backends that cannot run tasks later (the immediate backend in tests) are left alone.
    """
    if not task.get_backend().supports_defer:
        return False
    # The database backend's model: imported here so hosts on another backend need not
    # install django_tasks_db (not an import of this plugin's own code).
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    if waiting.exists():
        return False
    task.using(run_after=next_night(hour)).enqueue()
    return True
