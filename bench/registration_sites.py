"""Sign-ups across a region: 16 processes send 4,000 sign-ups spread over 64 municipalities.

A benchmark, not a test. It builds a throw-away production-like site on SQLite (migrate,
catalogues, static files, then ``load_demo --sites 64 --participants 500``, whose time it
prints: 64 Wagtail Sites at ``<slug>.localhost``, 500 people each), serves it with gunicorn
and lets 16 client processes post sign-ups to the newcomers' form of every site in turn
(``Host: <slug>.localhost``; Heidestad, the default site, answers ``heidestad.localhost``).

Judged by: every sign-up answered with the redirect to the thank-you page, no server error,
and every posted sign-up stored exactly once, with the site it was posted to (none lost,
none in another municipality). For scale it also prints sign-ups per second and their ratio
to GET /healthz from the same processes in the same run, as bench/registration.py does.

The rate limit is switched off (REGISTRY_RATE_LIMIT=0: every client here is 127.0.0.1) and
so is the minimum fill time (the clients are robots).

    .venv/bin/python bench/registration_sites.py [--sites 64] [--participants 500]
        [--processes 16] [--signups 4000] [--workers 4]
"""

import sys
from pathlib import Path

# bench/http.py shadows the standard library's http package: drop bench/ from the path.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import multiprocessing  # noqa: E402
import shlex  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

# The single-site bench's clients, its request and its tally (and through it bench/http.py),
# registered by name so that the pool's processes find its functions.
_spec = importlib.util.spec_from_file_location("bench_registration", BENCH_DIR / "registration.py")
registration = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = registration
_spec.loader.exec_module(registration)
site = registration.site
bench_email = registration.bench_email

HEALTHZ = registration.HEALTHZ
DEFAULT_HOST = "heidestad.localhost"  # no site has it: the default site (Heidestad) answers


def plan(hosts: list[str], processes: int, each: int) -> dict[str, str]:
    """Which host each sign-up goes to (its email -> host): round the sites, each process
    starting at its own, so every site gets sign-ups from several processes at once."""
    return {
        bench_email(number, index): hosts[(number + index) % len(hosts)]
        for number in range(processes)
        for index in range(each)
    }


def check(expected: dict[str, str], stored: list[tuple[str, str]]) -> dict[str, int]:
    """Compare what was posted (email -> host) with what the database holds (email, host
    of its site): lost, stored twice, stored in another site."""
    seen: dict[str, list[str]] = {}
    for email, host in stored:
        seen.setdefault(email, []).append(host)
    return {
        "lost": sum(email not in seen for email in expected),
        "doubled": sum(len(hosts) > 1 for hosts in seen.values()),
        "wrong site": sum(
            email in expected and hosts[0] != expected[email] for email, hosts in seen.items()
        ),
        "unexpected": sum(email not in expected for email in seen),
    }


def set_up(env: dict[str, str], sites: int, participants: int) -> float:
    """Migrate, catalogues, static files, then the region; returns load_demo's seconds."""
    commands = [
        ("migrate", "--noinput"),
        ("compile_catalogues",),
        ("collectstatic", "--noinput"),
        ("load_demo", "--sites", str(sites), "--participants", str(participants)),
    ]
    took = 0.0
    for command in commands:
        argv = [sys.executable, "manage.py", *command]
        started = time.perf_counter()
        done = subprocess.run(
            argv, cwd=site.ROOT, env=env, capture_output=True, text=True, check=False
        )
        took = time.perf_counter() - started
        if done.returncode != 0:
            raise site.BenchError(
                f"Set-up step failed (exit {done.returncode}): {shlex.join(argv[1:])}\n"
                + site._tail(done.stdout + done.stderr)
            )
        site.out(f"  {shlex.join(command):<44} {took:6.1f} s")
    return took


def _stored(database: Path) -> tuple[list[str], str, list[tuple[str, str]]]:
    """The sites' host names, the default's, and every bench sign-up with its site's host."""
    with sqlite3.connect(database) as db:
        hosts = [h for (h,) in db.execute("SELECT hostname FROM wagtailcore_site ORDER BY id")]
        (default,) = db.execute(
            "SELECT hostname FROM wagtailcore_site WHERE is_default_site"
        ).fetchone()
        stored = db.execute(
            "SELECT p.email, s.hostname FROM buddypages_participant p "
            "LEFT JOIN wagtailcore_site s ON s.id = p.site_id WHERE p.email LIKE 'bench-%'"
        ).fetchall()
    return hosts, default, stored


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=64)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--signups", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    each = args.signups // args.processes
    total = each * args.processes

    with tempfile.TemporaryDirectory(prefix="bench-registration-sites-") as tmp:
        var_dir = Path(tmp)
        site.out("Setting up a production-like region on SQLite in " + tmp)
        env = site.site_env(var_dir, "locmem://")
        env.update(
            REGISTRY_RATE_LIMIT="0",
            REGISTRY_MIN_FILL_SECONDS="0",
            ALLOWED_HOSTS=f"{site.HOST},.localhost",
        )
        load_seconds = set_up(env, args.sites, args.participants)
        database = var_dir / "db.sqlite3"
        site_hosts, default, _none = _stored(database)
        # Post to the default site through a name of its own, every other site by its name.
        hosts = [DEFAULT_HOST if host == default else host for host in site_hosts]
        expected = plan(hosts, args.processes, each)
        port = site.free_port()
        server = site.start_server(
            "site",
            site.gunicorn_argv(port, args.workers, site.SITE_APP),
            port,
            env,
            var_dir / "gunicorn.log",
        )
        try:
            site.wait_until_ready(server, HEALTHZ, timeout=60)
            with sqlite3.connect(database) as db:
                (before,) = db.execute("SELECT count(*) FROM buddypages_participant").fetchone()
            with multiprocessing.Pool(args.processes) as pool:
                health = pool.map(registration._healthz, [(port, each // 5)] * args.processes)
                began = time.perf_counter()
                results = pool.map(
                    registration._client,
                    [(port, number, each, hosts) for number in range(args.processes)],
                )
                wall = time.perf_counter() - began
        finally:
            site.stop_server(server)
        _hosts, _default, stored = _stored(database)
        with sqlite3.connect(database) as db:
            (after,) = db.execute("SELECT count(*) FROM buddypages_participant").fetchone()
        log = server.log_path.read_text(errors="replace")

    # What was posted to the default site's name is stored under its own host name.
    expected = {email: default if h == DEFAULT_HOST else h for email, h in expected.items()}
    problems = check(expected, stored)
    statuses, server_errors, signup_rate, health_rate = registration.tally(
        results, health, total, wall
    )
    site.out("")
    site.out(
        f"load_demo --sites {args.sites} --participants {args.participants}: {load_seconds:.1f} s"
    )
    site.out(
        f"{args.processes} processes x {each} sign-ups = {total} over {len(hosts)} sites "
        f"(gunicorn, {args.workers} sync workers, SQLite WAL)"
    )
    site.out(f"  answers:            {dict(sorted(statuses.items(), key=str))}")
    site.out(f"  new participants:   {after - before}")
    site.out(
        "  lost / doubled / in another site / unexpected: "
        f"{problems['lost']} / {problems['doubled']} / {problems['wrong site']} / "
        f"{problems['unexpected']}   (goal 0 each)"
    )
    site.out(
        f"  server errors:      {server_errors}   (goal 0; 'Traceback' in server log: "
        f"{log.count('Traceback')})"
    )
    site.out(f"  sign-ups/s:         {signup_rate:.0f}   ({wall:.1f} s)")
    site.out(f"  GET /healthz/s:     {health_rate:.0f}   (same processes, same run)")
    site.out(f"  ratio sign-up/healthz: {signup_rate / health_rate:.2f}")
    ok = (
        not any(problems.values())
        and server_errors == 0
        and statuses.get(302, 0) == total
        and after - before == total
    )
    site.out("  verdict:            " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
