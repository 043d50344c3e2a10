"""Crash safety with real task-worker processes (SIGKILL), on SQLite and PostgreSQL.

Real commits and real processes, so no test transaction: the test commits its
own participants and send, and removes them afterwards.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, models
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / "var" / "test-worker-logs"  # read when a test fails
pytestmark = pytest.mark.slow


def start_worker(mail_dir: Path, newsletter: dict) -> subprocess.Popen:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = (LOG_DIR / f"worker-{time.monotonic_ns()}.log").open("wb")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "buddysite.settings.test",
        "TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "TEST_WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
        "TEST_NEWSLETTER_SETTINGS": json.dumps(newsletter),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,  # a file: a full pipe would block the worker
        start_new_session=True,
    )


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)


def sent_counts(mail_dir: Path) -> Counter:
    counts = Counter()
    for path in mail_dir.glob("*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                counts[line[4:].strip()] += 1
    return counts


@pytest.fixture
def cohort(_demo_loaded, django_db_blocker, settings):
    """120 committed participants in a programme of their own, and the demo issue."""
    from buddypages.registry.models import Participant
    from newsletter.models import NewsletterIssuePage

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    key = uuid.uuid4()
    with django_db_blocker.unblock():
        programme = _demo_loaded.programme
        site = programme.get_site()  # bulk_create skips save(), which sets it
        Participant.objects.bulk_create(
            Participant(
                programme=programme,
                programme_key=key,
                site=site,
                role="newcomer",
                status="waiting",
                first_name=f"Worker{n}",
                last_name="Test",
                email=f"worker{n}@example.net",
                form_language="nl",
                preferred_language=["nl", "ar", "fr"][n % 3],
            )
            for n in range(120)
        )
        issue = NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")
    yield key, issue
    with django_db_blocker.unblock():
        from django_tasks_db.models import DBTaskResult

        from newsletter.models import NewsletterIssuePage, Send

        Send.objects.filter(programme_key=key).delete()
        Participant.objects.filter(programme_key=key).delete()
        DBTaskResult.objects.all().delete()
        NewsletterIssuePage.objects.filter(translation_key=issue.translation_key).update(
            sent_at=None
        )


def run_send(django_db_blocker, key, issue, newsletter, settings):
    from newsletter import outbox

    settings.BUDDY_NEWSLETTER = newsletter
    with django_db_blocker.unblock():
        return outbox.send_start(issue=issue, audiences=["waiting"], programme_key=key)


def wait_until_done(django_db_blocker, send, timeout=90):
    from newsletter.models import Send

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with django_db_blocker.unblock():
            status = Send.objects.get(pk=send.pk).status
        if status == "done":
            return
        time.sleep(0.2)
    logs = "\n".join(
        path.read_text(errors="replace")[-2000:] for path in sorted(LOG_DIR.glob("worker-*.log"))
    )
    with django_db_blocker.unblock():
        from django_tasks_db.models import DBTaskResult

        from newsletter.models import Send

        state = {
            "deliveries": dict(
                Send.objects.get(pk=send.pk)
                .deliveries.values_list("status")
                .annotate(n=models.Count("pk"))
            ),
            "tasks": list(DBTaskResult.objects.values_list("status", "run_after")),
        }
    raise AssertionError(f"the send did not finish within {timeout} s: {state} {logs}")


def test_a_killed_worker_loses_no_one_and_repeats_at_most_the_message_in_flight(
    cohort, django_db_blocker, settings, tmp_path
):
    key, issue = cohort
    newsletter = {"RATE_PER_SECOND": 40, "PARALLEL": 1, "BATCH_SIZE": 10, "LEASE_SECONDS": 2}
    send = run_send(django_db_blocker, key, issue, newsletter, settings)
    assert send.total == 120
    first = start_worker(tmp_path, newsletter)
    try:
        deadline = time.monotonic() + 60
        while sum(sent_counts(tmp_path).values()) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop(first, signal.SIGKILL)  # no chance to clean up
        at_kill = sum(sent_counts(tmp_path).values())
        assert 0 < at_kill < 120, "the kill must land in the middle of the send"
        second = start_worker(tmp_path, newsletter)
        try:
            wait_until_done(django_db_blocker, send)
        finally:
            stop(second)
    finally:
        stop(first, signal.SIGKILL)
    counts = sent_counts(tmp_path)
    expected = {f"worker{n}@example.net" for n in range(120)}
    assert set(counts) == expected  # nobody missed
    repeats = sum(count - 1 for count in counts.values())
    assert repeats <= 1, counts.most_common(3)  # only the message in flight, if any
    with django_db_blocker.unblock():
        assert set(send.deliveries.values_list("status", flat=True)) == {"sent"}


def test_two_workers_never_send_the_same_row(cohort, django_db_blocker, settings, tmp_path):
    key, issue = cohort
    newsletter = {"PARALLEL": 2, "BATCH_SIZE": 5, "LEASE_SECONDS": 30}
    workers = [start_worker(tmp_path, newsletter), start_worker(tmp_path, newsletter)]
    try:
        send = run_send(django_db_blocker, key, issue, newsletter, settings)
        wait_until_done(django_db_blocker, send)
    finally:
        for worker in workers:
            stop(worker)
    counts = sent_counts(tmp_path)
    assert len(counts) == 120
    assert set(counts.values()) == {1}
    with django_db_blocker.unblock():
        sent = send.deliveries.filter(status="sent")
        assert sent.count() == 120
        assert sent.filter(sent_at__lte=timezone.now()).count() == 120
