"""Yearly report benchmark: the report of one site with 5,000 participants.

A benchmark, not a test. It builds a throw-away site on SQLite (migrate in a temporary
VAR_DIR, no demo content), with one municipality: its home page, a programme and 5,000
participants over two years (two thirds newcomers; 12 languages, 9 neighbourhoods), with a
realistic share of intakes (60 %), status history (waiting, then matched), duos (a third of
the newcomers; some completed, some stopped with one of a few reasons) and ten meetings per
duo, all written with bulk_create. Then it times buddypages.reports.selectors.yearly_report
for the last calendar year.

Baseline, in the same run: counting the site's participants (the programme keys of the site,
then one COUNT): what the cheapest question about the same people costs.

Goal: the report under 2 seconds (median). Also printed: the ratio to the baseline and the
number of queries the report ran.

    .venv/bin/python bench/report.py [--participants 5000] [--rounds 5]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [
    str(ROOT),
    str(ROOT / "site"),
    *(entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR),
]
LANGUAGES = ["ar", "uk", "fa", "ps", "ti", "so", "ru", "tr", "fr", "en", "nl", "es"]
PLACES = ["Centrum", "Kiel", "Linkeroever", "Molenwijk", "Heide", "Zuid", "Noord", "Dam", ""]
REASONS = ["Verhuisd", "Werk gevonden", "Geen tijd meer", "Klikte niet", ""]
GOAL_S = 2.0


def set_up(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="buddysite.settings.dev",
        VAR_DIR=var_dir,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    sys.stdout.write(f"  migrate              {time.perf_counter() - started:5.1f} s\n")


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def build_site(count: int, year: int):
    from wagtail.models import Locale, Page, Site

    from buddypages.duos.models import Duo, Meeting
    from buddypages.models import HomePage, ProgrammePage
    from buddypages.registry.models import Intake, Participant, StatusChange

    rng = random.Random(2026)
    nl, _created = Locale.objects.get_or_create(language_code="nl")
    home = HomePage(title="Bench", slug="bench-home", locale=nl)
    Page.get_first_root_node().add_child(instance=home)
    programme = ProgrammePage(title="Buddy Bench", slug="buddy-bench", summary="Bench.", locale=nl)
    home.add_child(instance=programme)
    site = Site.objects.create(hostname="bench.example", port=80, root_page=home, site_name="Bench")
    first = date(year - 1, 1, 1)
    people = []
    for number in range(count):
        signed = first + timedelta(days=rng.randrange(730))
        role = "newcomer" if number % 3 else "volunteer"
        people.append(
            Participant(
                programme=programme,
                programme_key=programme.translation_key,
                role=role,
                status=rng.choice(["signed_up", "intake_done", "waiting", "active", "completed"]),
                first_name=f"Naam{number}",
                last_name="Bench",
                email=f"bench{number}@example.net",
                form_language="nl",
                preferred_language=rng.choice(LANGUAGES) if role == "newcomer" else "nl",
                neighbourhood=rng.choice(PLACES),
                created_at=moment(signed),
                last_signup_at=moment(signed),
                waiting_since=moment(signed + timedelta(days=20)),
            )
        )
    people = Participant.objects.bulk_create(people, batch_size=1000)
    intakes, changes = [], []
    for person in people:
        signed = person.created_at.date()
        if rng.random() < 0.6:
            intakes.append(
                Intake(
                    participant=person,
                    held_on=signed + timedelta(days=10),
                    expectations_confirmed=True,
                    commitment_confirmed=True,
                )
            )
            changes.append(
                StatusChange(
                    participant=person,
                    from_status="intake_done",
                    to_status="waiting",
                    changed_at=moment(signed + timedelta(days=12)),
                )
            )
            if rng.random() < 0.5:
                changes.append(
                    StatusChange(
                        participant=person,
                        from_status="waiting",
                        to_status="matched",
                        changed_at=moment(signed + timedelta(days=12 + rng.randrange(200))),
                    )
                )
    Intake.objects.bulk_create(intakes, batch_size=1000)
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    newcomers = [p for p in people if p.role == "newcomer"]
    volunteers = [p for p in people if p.role == "volunteer"]
    duos = []
    for newcomer in newcomers[: len(newcomers) // 3]:
        start = newcomer.created_at.date() + timedelta(days=30)
        ended = rng.random()
        status = "completed" if ended < 0.4 else "stopped" if ended < 0.55 else "active"
        duos.append(
            Duo(
                programme=programme,
                programme_key=programme.translation_key,
                newcomer=newcomer,
                volunteer=rng.choice(volunteers),
                start_date=start,
                planned_end=start + timedelta(days=182),
                feedback_due=start + timedelta(days=91),
                status=status,
                ended_on=start + timedelta(days=rng.randrange(60, 200))
                if status != "active"
                else None,
                stop_reason=rng.choice(REASONS) if status == "stopped" else "",
            )
        )
    duos = Duo.objects.bulk_create(duos, batch_size=1000)
    meetings = [
        Meeting(
            duo=duo,
            date=duo.start_date + timedelta(days=14 * n),
            minutes=rng.choice([60, 90, 120, 240, 300]),
            logged_by="newcomer",
            confirmed_by="volunteer" if rng.random() < 0.85 else "",
            confirmed_at=moment(duo.start_date) if rng.random() < 0.85 else None,
        )
        for duo in duos
        for n in range(10)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    sys.stdout.write(
        f"  built: {len(people)} participants, {len(intakes)} intakes, {len(changes)} status "
        f"changes, {len(duos)} duos, {len(meetings)} meetings\n"
    )
    return site


def timed(function, rounds: int) -> list[float]:
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    year = date.today().year - 1
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        sys.stdout.write(f"Setting up a scratch site in {tmp}\n")
        set_up(tmp)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from buddypages.registry.models import Participant
        from buddypages.reports.selectors import period_choose, site_programme_keys, yearly_report

        site = build_site(args.participants, year)
        period = period_choose(year=year)

        def report():
            return yearly_report(sites=[site], period=period)

        def baseline():
            keys = site_programme_keys([site])
            return Participant.objects.filter(programme_key__in=keys).count()

        with CaptureQueriesContext(connection) as captured:
            built = report()
        ours = statistics.median(timed(report, args.rounds))
        bare = statistics.median(timed(baseline, args.rounds))
    out = sys.stdout.write
    out(f"\nYearly report {year} of one site, {args.participants} participants, median of ")
    out(f"{args.rounds}\n")
    out(f"  newcomers signed up in {year}: {built.figure('newcomers_signed_up')}, duos started: ")
    out(f"{built.figure('duos_started')}, queries: {len(captured)}\n")
    out(f"  report:             {ours:.3f} s   (goal < {GOAL_S:.0f} s)\n")
    out(f"  baseline (count):   {bare:.4f} s\n")
    out(f"  ratio report/count: {ours / bare:.0f}\n")
    ok = ours < GOAL_S
    out("  verdict:            " + ("PASS" if ok else "FAIL") + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
