"""Benchmark: a programme's A4 poster in Dutch, Arabic and Tigrinya, as PDF.

A benchmark, not a test. Builds a throw-away site (SQLite in a temporary folder, the demo
content), then times ``<programme>/poster.pdf?langs=nl,ar,ti`` through Django's test client
with the page cache off: the database reads, three parts of text shaped by HarfBuzz (Arabic
right to left, Tigrinya in Ethiopic), three QR codes as vector squares, the fonts subset and
embedded. Baseline in the same run: the same poster in Dutch alone (Latin script, one font
family, one code), so the ratio says what the other scripts and parts cost.

Goal: the three-language poster in under 3 s (median). The first request is shown apart: it
pays for importing fpdf2, fontTools and uharfbuzz once per process.

    .venv/bin/python bench/poster.py [--runs 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package: drop bench/.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

GOAL_SECONDS = 3.0
LANGUAGES = "nl,ar,ti"
BASELINE = "nl"


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup_django(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "buddysite.settings.dev"
    os.environ["VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure making the poster, not the page cache
    os.environ.setdefault("DEMO_PASSWORD", "bench-poster-only")
    Path(var_dir, "static").mkdir()
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("compile_catalogues", verbosity=0)


def time_runs(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buddywerking-poster-bench-") as var_dir:
        setup_django(var_dir)
        from django.test import Client

        from buddysite.demo.loader import demo_load

        started = time.perf_counter()
        programme = demo_load(participants=0).programme
        out(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        busy = " (busy: load above the CPUs, figures mean less)" if load > os.cpu_count() else ""
        out(
            f"Machine: {os.cpu_count()} CPUs, load {load:.1f}{busy}; demo content took "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client(HTTP_HOST="localhost")
        url = f"{programme.url}poster.pdf?langs={LANGUAGES}"
        baseline_url = f"{programme.url}poster.pdf?langs={BASELINE}"

        def get(address):
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            assert response["Content-Type"] == "application/pdf"
            return response

        started = time.perf_counter()
        first = get(url)
        cold = time.perf_counter() - started
        poster = time_runs(lambda: get(url), args.runs)
        base = time_runs(lambda: get(baseline_url), args.runs)
        poster_median, base_median = statistics.median(poster), statistics.median(base)
        out(f"Poster {url}: {len(first.content) / 1024:.0f} KiB")
        out(f"  first request of the process (imports, fonts): {cold * 1000:.0f} ms")
        out(
            f"  nl + ar + ti, median of {args.runs}: {poster_median * 1000:.0f} ms "
            f"(min {min(poster) * 1000:.0f}, max {max(poster) * 1000:.0f})"
        )
        out(f"  baseline: the same poster in Dutch alone, median: {base_median * 1000:.0f} ms")
        out(f"  ratio three languages / Dutch alone: {poster_median / base_median:.2f}")
        verdict = "PASS" if poster_median < GOAL_SECONDS else "FAIL"
        out(
            f"{verdict}  poster in {LANGUAGES} made in {poster_median:.3f} s "
            f"(goal < {GOAL_SECONDS:.0f} s)"
        )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
