"""Newsletter rendering benchmark: 10,000 personalised messages in mixed languages.

A benchmark, not a test. It builds a throw-away site with the demo content
(migrate, catalogues, load_demo, in a temporary VAR_DIR), then:

* ours: renders the demo issue for 10,000 recipients (nl, ar, fr, en, uk and
  ti, which falls back to Dutch; newcomers, volunteers and duo members with a
  buddy) with newsletter.rendering.IssueRenderer and hands every message to
  Django's locmem email backend over one connection, in batches of 500;
* bare: the same number of plain EmailMultiAlternatives with the same subject,
  text and HTML sizes and the same headers, over one connection of the same
  backend (what Django itself costs to build and serialise the messages).

Goal: at least 500 messages per second, and ours at most 3 times the bare time.

    .venv/bin/python bench/newsletter.py [--messages 10000] [--rounds 3]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [
    str(ROOT),
    str(ROOT / "site"),
    *(entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR),
]
LANGUAGES = ["nl", "ar", "fr", "en", "uk", "ti"]
KINDS = ["newcomer", "volunteer"]
BATCH = 500


def set_up(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="buddysite.settings.dev",
        VAR_DIR=var_dir,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        LOG_LEVEL="WARNING",
        DEMO_PASSWORD="bench-password-not-secret",  # noqa: S106 (a throw-away site)
    )
    import django

    django.setup()
    from django.core.management import call_command

    for command in ("migrate", "compile_catalogues", "load_demo"):
        started = time.perf_counter()
        call_command(
            command, verbosity=0, **({"interactive": False} if command == "migrate" else {})
        )
        sys.stdout.write(f"  {command:<20} {time.perf_counter() - started:5.1f} s\n")


def recipients(count: int):
    from newsletter.rendering import Recipient

    return [
        Recipient(
            email=f"person{i}@example.net",
            first_name=f"Naam{i}",
            language=LANGUAGES[i % len(LANGUAGES)],
            kind=KINDS[i % 2],
            buddy_first_name="Lotte" if i % 3 == 0 else "",
            participant_id=i + 1,
        )
        for i in range(count)
    ]


def run_ours(issue, people) -> float:
    from django.core import mail

    from newsletter.rendering import IssueRenderer

    mail.outbox = []
    started = time.perf_counter()
    renderer = IssueRenderer(issue)
    with mail.get_connection() as connection:
        for start in range(0, len(people), BATCH):
            connection.send_messages([renderer.message(r) for r in people[start : start + BATCH]])
    took = time.perf_counter() - started
    mail.outbox = []
    return took


def run_bare(sample, count: int) -> float:
    from django.core import mail
    from django.core.mail import EmailMultiAlternatives

    html = sample.alternatives[0][0]
    mail.outbox = []
    started = time.perf_counter()
    with mail.get_connection() as connection:
        for start in range(0, count, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, count)):
                message = EmailMultiAlternatives(
                    sample.subject,
                    sample.body,
                    sample.from_email,
                    [f"person{i}@example.net"],
                    headers=dict(sample.extra_headers),
                )
                message.attach_alternative(html, "text/html")
                batch.append(message)
            connection.send_messages(batch)
    took = time.perf_counter() - started
    mail.outbox = []
    return took


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as tmp:
        sys.stdout.write(f"Setting up the demo site in {tmp}\n")
        set_up(tmp)
        from newsletter.models import NewsletterIssuePage
        from newsletter.rendering import IssueRenderer

        issue = NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")
        people = recipients(args.messages)
        sample = IssueRenderer(issue).message(people[0])
        ours, bare = [], []
        for _round in range(args.rounds):
            ours.append(run_ours(issue, people))
            bare.append(run_bare(sample, args.messages))
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    rate = args.messages / ours_s
    ratio = ours_s / bare_s
    size = len(sample.body) + len(sample.alternatives[0][0])
    out = sys.stdout.write
    out(f"\n{args.messages} messages, languages {','.join(LANGUAGES)}, median of {args.rounds}\n")
    out(f"  message size:       {size / 1024:.1f} KB (text + HTML)\n")
    out(f"  ours:               {ours_s:.2f} s = {rate:.0f} messages/s   (goal >= 500)\n")
    out(f"  bare Django loop:   {bare_s:.2f} s = {args.messages / bare_s:.0f} messages/s\n")
    out(f"  ratio ours/bare:    {ratio:.2f}   (goal <= 3)\n")
    ok = rate >= 500 and ratio <= 3
    out("  verdict:            " + ("PASS" if ok else "FAIL") + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
