"""Benchmark: the yearly iCalendar feed of a calendar with 500 activities.

A benchmark, not a test. Builds a throw-away site (SQLite in a temporary
folder), adds 500 activities (every tenth repeats weekly for a year, some with
a cancelled date), then times the calendar's ``ical/`` view through Django's
test client, and, as a baseline in the same run, the icalendar package alone
serialising 500 bare events. Goal: the feed in under one second.

    .venv/bin/python bench/ical.py [--activities 500] [--runs 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package: drop bench/.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup_django(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "buddysite.settings.dev"
    os.environ["VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure building the feed, not the page cache
    Path(var_dir, "static").mkdir()
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_site(count: int):
    from wagtail.models import Locale, Page, Site

    from buddypages.models import (
        ActivityCalendarPage,
        ActivityOccurrenceChange,
        ActivityPage,
        HomePage,
    )

    brussels = ZoneInfo("Europe/Brussels")
    locale = Locale.objects.get_or_create(language_code="nl")[0]
    root = Page.get_first_root_node()
    home = HomePage(title="Thuis", slug="thuis-bench", locale=locale)
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    calendar = ActivityCalendarPage(title="Activiteiten", slug="activiteiten", locale=locale)
    home.add_child(instance=calendar)
    first = datetime(2027, 1, 4, 10, tzinfo=brussels)
    for number in range(count):
        start = first + timedelta(days=number % 300, hours=number % 8)
        recurring = number % 10 == 0
        page = ActivityPage(
            title=f"Activiteit {number}",
            slug=f"activiteit-{number}",
            locale=locale,
            start=start,
            end=start + timedelta(hours=2),
            repeat="weekly" if recurring else "",
            repeat_count=52 if recurring else None,
            place_name="Ontmoetingscentrum",
            place_address="Lindestraat 12, 2999 Heidestad",
            summary="Samen Nederlands oefenen.",
        )
        if recurring and number % 20 == 0:
            page.occurrence_changes.add(
                ActivityOccurrenceChange(original_date=(start + timedelta(weeks=3)).date())
            )
        calendar.add_child(instance=page)
    return calendar


def time_runs(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def baseline(count: int) -> None:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    first = datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Europe/Brussels"))
    for number in range(count):
        event = Event()
        event.add("uid", f"{number}@bench")
        event.add("summary", f"Activiteit {number}")
        event.add("dtstart", first + timedelta(days=number % 300))
        event.add("dtend", first + timedelta(days=number % 300, hours=2))
        calendar.add_component(event)
    calendar.to_ical()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buddywerking-ical-bench-") as var_dir:
        setup_django(var_dir)
        from django.test import Client

        started = time.perf_counter()
        calendar = build_site(args.activities)
        out(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        out(
            f"Machine: {os.cpu_count()} CPUs; set-up of {args.activities} activities took "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client(HTTP_HOST="localhost")
        url = calendar.url + "ical/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        events = response.content.count(b"BEGIN:VEVENT")
        feed = time_runs(lambda: client.get(url), args.runs)
        base = time_runs(lambda: baseline(args.activities), args.runs)
        feed_median, base_median = statistics.median(feed), statistics.median(base)
        out(f"Feed {url}: {len(response.content) / 1024:.0f} KiB, {events} VEVENTs")
        out(
            f"  feed view (DB read + VTIMEZONE + RRULE/EXDATE), median of {args.runs}: "
            f"{feed_median * 1000:.0f} ms (min {min(feed) * 1000:.0f}, max {max(feed) * 1000:.0f})"
        )
        out(
            f"  baseline: icalendar alone, {args.activities} bare events, median: "
            f"{base_median * 1000:.0f} ms"
        )
        out(f"  ratio feed / baseline: {feed_median / base_median:.2f}")
        verdict = "PASS" if feed_median < 1.0 else "FAIL"
        out(
            f"{verdict}  yearly feed of {args.activities} activities built in "
            f"{feed_median:.3f} s (goal < 1 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
