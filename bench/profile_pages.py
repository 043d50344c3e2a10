"""In-process profile of uncached page renders (a benchmark, not a test).

Builds the demo site as ``bench/http.py`` does (production settings, SQLite and a
temporary VAR_DIR, ``PAGE_CACHE_SECONDS=0`` so every page view is rendered; Wagtail's
and the site's own small caches stay on), then calls the WSGI application in this
process ``--requests`` times per URL, URLs taking turns in rounds. Prints, per URL,
CPU milliseconds per request (median of the rounds), the ratio to ``/healthz`` and the
queries one request makes.

    .venv/bin/python bench/profile_pages.py [--requests 200] [--rounds 5]
        [--var-dir DIR] [--profile URL] [--dump DIR] [--queries URL]

``--var-dir DIR`` keeps the built site in DIR and reuses it next time (faster
iterations); ``--profile URL`` prints cProfile's top functions for that URL;
``--dump DIR`` writes each URL's body to DIR (compare renders before and after a
change); ``--queries URL`` prints that URL's SQL.

The "est. share of bare" column guesses what ``bench/http.py`` would report against
a bare WSGI app under gunicorn: gunicorn's own cost per request is taken as
``--server-ms`` (default 0.16 ms, the figure that puts /healthz at about 0.33 of the
bare app, as measured with wrk in issue 17). Only the measured bench is the judge.
"""

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
HTTP_HOST = os.environ.get("PROFILE_HTTP_HOST", HOST)
SETTINGS = "buddysite.settings.production"
URLS = (
    "/healthz",
    "/nl/",
    "/nl/buddywerking/",
    "/nl/taaltips/",
    "/nl/activiteiten/",
    "/nl/activiteiten/ical/",
    "/api/v2/pages/",
)
SETUP_COMMANDS = (
    ("migrate", "--noinput"),
    ("compile_catalogues",),
    ("collectstatic", "--noinput"),
    ("load_demo",),
)
SCRUBBED_ENV = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "MEDIA_ROOT",
    "PAGE_CACHE_SECONDS",
    "BASE_URL",
    "DEBUG",
)


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def site_env(var_dir: Path, secret_key: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        BASE_URL=f"https://{HOST}",
        VAR_DIR=str(var_dir),
        CACHE_URL="locmem://",
        PAGE_CACHE_SECONDS="0",
    )
    return env


def set_up_site(var_dir: Path, env: dict[str, str]) -> None:
    for command in SETUP_COMMANDS:
        argv = [sys.executable, "manage.py", *command]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"Set-up step failed: {shlex.join(command)}")
        out(f"  {shlex.join(command):<24} {time.perf_counter() - started:5.1f} s")
    (var_dir / ".profile_pages_ready").write_text("ok\n")


def environ_for(path: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HTTP_HOST,
        "HTTP_USER_AGENT": "buddywerking-bench",
        "REMOTE_ADDR": HOST,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, path: str) -> tuple[str, bytes]:
    status_line = []

    def start_response(status, headers, exc_info=None):
        status_line.append(status)

    result = application(environ_for(path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status_line[0], body


def time_url(application, path: str, requests: int) -> float:
    # CPU time of this process: other programs on a shared machine change it far less
    # than the wall clock (the database is SQLite, in this process too).
    started = time.process_time()
    for _ in range(requests):
        call(application, path)
    return (time.process_time() - started) * 1000 / requests


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per URL per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--var-dir", type=Path, help="build (or reuse) the site here")
    parser.add_argument("--url", action="append", help="only these URLs (repeatable)")
    parser.add_argument("--profile", metavar="URL", help="cProfile this URL")
    parser.add_argument("--profile-out", type=Path, help="also save the cProfile stats here")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--limit", type=int, default=60, help="cProfile rows")
    parser.add_argument("--queries", metavar="URL", help="print this URL's SQL")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write each URL's body here")
    parser.add_argument("--server-ms", type=float, default=0.16)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="buddywerking-profile-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / ".profile_pages_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env = site_env(var_dir, key_file.read_text().strip())
    if not (var_dir / ".profile_pages_ready").exists():
        out(f"Set-up in {var_dir}:")
        set_up_site(var_dir, env)
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = get_wsgi_application()
    urls = tuple(args.url or URLS)
    if "/healthz" not in urls:
        urls = ("/healthz", *urls)

    queries: dict[str, int] = {}
    for path in urls:
        for _ in range(3):  # warm-up: templates, Wagtail's and the site's caches
            status, body = call(application, path)
        if not status.startswith("200"):
            out(f"! {path} answered {status}")
        with CaptureQueriesContext(connection) as captured:
            call(application, path)
        queries[path] = len(captured.captured_queries)
        if args.queries == path:
            for query in captured.captured_queries:
                out(query["sql"])
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_") or "root"
            (args.dump / f"{name}.html").write_bytes(body)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            call(application, args.profile)
        profiler.disable()
        if args.profile_out:
            profiler.dump_stats(args.profile_out)
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats(args.sort).print_stats(args.limit)
        out(stream.getvalue())
        return 0

    rounds: dict[str, list[float]] = {path: [] for path in urls}
    for _ in range(args.rounds):
        for path in urls:
            rounds[path].append(time_url(application, path, args.requests))
    healthz = statistics.median(rounds["/healthz"])
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    out(f"{args.rounds} rounds x {args.requests} requests per URL; load average {load}")
    out(f"{'URL':<26}{'ms/req':>8}{'min':>8}{'healthz x':>11}{'queries':>9}{'est. bare':>11}")
    for path in urls:
        ms = statistics.median(rounds[path])
        estimate = args.server_ms / (args.server_ms + ms)
        out(
            f"{path:<26}{ms:>8.2f}{min(rounds[path]):>8.2f}{ms / healthz:>11.1f}"
            f"{queries[path]:>9}{estimate:>11.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
