"""Concurrency benchmark: 16 processes send 4,000 sign-ups to the embedded SQLite site.

A benchmark, not a test. It builds a throw-away production-like site (the same
set-up as bench/http.py: migrate, catalogues, static files, demo content, with
``buddysite.settings.production`` on SQLite), serves it with gunicorn and then
lets 16 client processes each open the newcomer form once (for the CSRF cookie
and the form's timer) and post 250 sign-ups, each with its own email address,
as fast as the server answers. Afterwards it counts the rows in the database.

Judged by: every sign-up answered with the redirect to the thank-you page, no
server error, and exactly 4,000 new participants in the database (none lost).
For scale it also prints sign-ups per second and their ratio to GET /healthz
from the same 16 processes in the same run.

The rate limit is switched off (REGISTRY_RATE_LIMIT=0: every client here is
127.0.0.1) and so is the minimum fill time (the clients are robots).

    .venv/bin/python bench/registration.py [--processes 16] [--signups 4000] [--workers 4]
"""

import sys
from pathlib import Path

# bench/http.py shadows the standard library's http package: drop bench/ from the path.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import http.client  # noqa: E402
import importlib.util  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_http", BENCH_DIR / "http.py")
site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site)

FORM = "/nl/buddywerking/aanmelden-nieuwkomer/"
HEALTHZ = "/healthz"


def _request(port, method, path, body=None, headers=None, *, host=None):
    """One request to the server on ``port``; ``host`` names the site (its Host header)."""
    connection = http.client.HTTPConnection(site.HOST, port, timeout=60)
    headers = {**({"Host": host} if host else {}), **(headers or {})}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def bench_email(number: int, index: int) -> str:
    return f"bench-{number}-{index}@example.net"


def _client(args):
    """One client process: open the form once, then post ``count`` sign-ups, going round
    ``hosts`` (the sites; ``[None]``: the default site), starting at its own."""
    port, number, count, hosts = args
    status, headers, body = _request(port, "GET", FORM, host=hosts[0])
    if status != 200:
        return {"statuses": {f"form {status}": 1}, "seconds": 0.0}
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    started = re.search(rb'name="started" value="([^"]+)"', body).group(1).decode()
    statuses = {}
    begin = time.perf_counter()
    for index in range(count):
        form = {
            "csrfmiddlewaretoken": token,
            "first_name": "Bench",
            "last_name": f"Client{number}",
            "email": bench_email(number, index),
            "languages": "ar",
            "preferred_language": "ar",
            "dutch_level": "a1",
            "postcode": "2990",
            "age_band": "26-35",
            "household": "alone",
            "availability": "sat_morning",
            "consent_programme": "on",
            "website": "",
            "started": started,
        }
        status, _headers, _body = _request(
            port,
            "POST",
            FORM,
            urlencode(form),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token}",
            },
            host=hosts[(number + index) % len(hosts)],
        )
        statuses[status] = statuses.get(status, 0) + 1
    return {"statuses": statuses, "seconds": time.perf_counter() - begin}


def _healthz(args):
    port, count = args
    begin = time.perf_counter()
    ok = sum(_request(port, "GET", HEALTHZ)[0] == 200 for _ in range(count))
    return {"ok": ok, "seconds": time.perf_counter() - begin}


def tally(results, health, total: int, wall: float) -> tuple[dict, int, float, float]:
    """The answers of every client added up, the server errors among them, the sign-ups per
    second and the health checks per second (the baseline of the same run)."""
    statuses = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    server_errors = sum(count for status, count in statuses.items() if str(status)[0] == "5")
    health_rate = sum(r["ok"] for r in health) / max(max(r["seconds"] for r in health), 1e-9)
    return statuses, server_errors, total / wall, health_rate


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--signups", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    each = args.signups // args.processes
    total = each * args.processes

    with tempfile.TemporaryDirectory(prefix="bench-registration-") as tmp:
        var_dir = Path(tmp)
        site.out("Setting up a production-like site on SQLite in " + tmp)
        site.set_up_site(var_dir)
        env = site.site_env(var_dir, "locmem://")
        env.update(REGISTRY_RATE_LIMIT="0", REGISTRY_MIN_FILL_SECONDS="0")
        port = site.free_port()
        server = site.start_server(
            "site",
            site.gunicorn_argv(port, args.workers, site.SITE_APP),
            port,
            env,
            var_dir / "gunicorn.log",
        )
        try:
            site.wait_until_ready(server, site.HEALTHZ, timeout=60)
            database = var_dir / "db.sqlite3"
            with sqlite3.connect(database) as db:
                (before,) = db.execute("SELECT count(*) FROM buddypages_participant").fetchone()
            with multiprocessing.Pool(args.processes) as pool:
                health = pool.map(_healthz, [(port, each // 5)] * args.processes)
                began = time.perf_counter()
                results = pool.map(
                    _client, [(port, number, each, [None]) for number in range(args.processes)]
                )
                wall = time.perf_counter() - began
        finally:
            site.stop_server(server)
        with sqlite3.connect(database) as db:
            (after,) = db.execute("SELECT count(*) FROM buddypages_participant").fetchone()
            (bench_rows,) = db.execute(
                "SELECT count(DISTINCT email) FROM buddypages_participant "
                "WHERE email LIKE 'bench-%'"
            ).fetchone()
        log = server.log_path.read_text(errors="replace")

    statuses, server_errors, signup_rate, health_rate = tally(results, health, total, wall)
    lost = total - bench_rows
    site.out("")
    site.out(
        f"{args.processes} processes x {each} sign-ups = {total} (gunicorn, "
        f"{args.workers} sync workers, SQLite WAL)"
    )
    site.out(f"  answers:            {dict(sorted(statuses.items(), key=str))}")
    site.out(f"  new participants:   {after - before} (distinct bench emails {bench_rows})")
    site.out(f"  lost sign-ups:      {lost}   (goal 0)")
    site.out(
        f"  server errors:      {server_errors}   (goal 0; 'Traceback' in server log: "
        f"{log.count('Traceback')})"
    )
    site.out(f"  sign-ups/s:         {signup_rate:.0f}   ({wall:.1f} s)")
    site.out(f"  GET /healthz/s:     {health_rate:.0f}   (same processes, same run)")
    site.out(f"  ratio sign-up/healthz: {signup_rate / health_rate:.2f}")
    ok = lost == 0 and server_errors == 0 and statuses.get(302, 0) == total
    site.out("  verdict:            " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
