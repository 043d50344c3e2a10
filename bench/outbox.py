"""Outbox benchmark: 10,000 recipients sent by real task workers, with 1 and with 2 workers.

A benchmark, not a test. It builds a throw-away demo site on SQLite (as
bench/newsletter.py does), adds 10,000 subscribers, then for 1 and for 2
workers: starts a send of the demo issue to them, runs that many
``manage.py db_worker`` processes (Django's locmem email backend: nothing leaves
the machine) and times the send from start to "done". Baseline, in the same run:
the plain rendering loop of bench/newsletter.py over the same recipients in this
process (render, build, hand to the locmem backend), without outbox or queue.

Printed: messages per second per run, and the outbox's overhead as a ratio to the
plain loop.

    .venv/bin/python bench/outbox.py [--messages 10000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [
    str(ROOT),
    str(ROOT / "site"),
    *(entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR),
]

import importlib.util  # noqa: E402

# bench/newsletter.py, under another name (``newsletter`` is the app).
_spec = importlib.util.spec_from_file_location("newsletter_bench", BENCH_DIR / "newsletter.py")
newsletter_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(newsletter_bench)


def add_subscribers(count: int):
    from buddypages.models import ProgrammePage
    from buddypages.registry.models import Participant

    programme = ProgrammePage.objects.filter(locale__language_code="nl").first()
    key = uuid.uuid4()
    Participant.objects.bulk_create(
        (
            Participant(
                programme=programme,
                programme_key=key,
                role=["newcomer", "volunteer"][n % 2],
                status="waiting",
                first_name=f"Naam{n}",
                last_name="Bench",
                email=f"bench{n}@example.net",
                form_language="nl",
                preferred_language=newsletter_bench.LANGUAGES[n % len(newsletter_bench.LANGUAGES)],
                newsletter_status="confirmed",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    return key


def run_outbox(issue, key, workers: int) -> float:
    from newsletter import outbox
    from newsletter.models import Send

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "buddysite.settings.dev"}
    started = time.perf_counter()
    send = outbox.send_start(issue=issue, audiences=["waiting"], programme_key=key)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _worker in range(workers)
    ]
    try:
        while Send.objects.get(pk=send.pk).status != "done":
            time.sleep(0.1)
        took = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    sent = send.deliveries.filter(status="sent").count()
    if sent != send.total:
        raise SystemExit(f"only {sent} of {send.total} sent")
    return took


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        sys.stdout.write(f"Setting up the demo site in {tmp}\n")
        newsletter_bench.set_up(tmp)
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        from django.conf import settings

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.BUDDY_NEWSLETTER = {"PARALLEL": 2, "BATCH_SIZE": 50}
        from newsletter.models import NewsletterIssuePage

        issue = NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")
        key = add_subscribers(args.messages)
        plain = newsletter_bench.run_ours(issue, newsletter_bench.recipients(args.messages))
        results = {workers: run_outbox(issue, key, workers) for workers in (1, 2)}
    out = sys.stdout.write
    out(f"\n{args.messages} recipients, SQLite, locmem email backend in the workers\n")
    out(
        f"  plain rendering loop (no outbox): {plain:6.2f} s = {args.messages / plain:5.0f} msg/s\n"
    )
    for workers, took in results.items():
        out(
            f"  outbox, {workers} worker{'s' if workers > 1 else ' '}:          {took:6.2f} s = "
            f"{args.messages / took:5.0f} msg/s   overhead ratio {took / plain:.2f}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
