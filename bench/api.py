"""API benchmark: the language tips in API v3 against their API v2 equivalent, and v3's 304.

A benchmark, not a test. It builds the same throw-away production-like site as
bench/http.py (migrate, catalogues, static files, demo content with
``buddysite.settings.production`` on SQLite in a temporary VAR_DIR) and serves it
with gunicorn on 127.0.0.1, with the anonymous page cache off
(``PAGE_CACHE_SECONDS=0``: every answer below is computed, none comes from the
host's page cache; the bench checks that no answer says ``X-Page-Cache: hit``).
Wagtail's own small caches stay on, as in production. Then, URLs taking turns:

* ``/healthz``: the cheapest request the middleware stack answers (baseline);
* v2: ``/api/v2/pages/?type=buddypages.LanguageTipPage&fields=*&limit=20``;
* v3: ``/api/v3/tips/?limit=20`` (every field, the same 20 tips);
* v3 304: the same v3 URL with ``If-None-Match`` set to the ETag it answered.

Goals: v3 at least 4x the requests/second of v2, and the 304 at least 0.6 of
/healthz, in the same run. Exit status 0 when both are met, 1 when one is
missed or requests errored, 2 when the set-up or the server failed.

    .venv/bin/python bench/api.py [--seconds 6] [--rounds 3] [--concurrency 4] [--workers 2]
"""

import sys
from pathlib import Path

# bench/http.py shadows the standard library's http package: drop bench/ from the path.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import http.client  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_http", BENCH_DIR / "http.py")
site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site)

HEALTHZ = "/healthz"
V2 = "/api/v2/pages/?type=buddypages.LanguageTipPage&fields=*&limit=20"
V3 = "/api/v3/tips/?limit=20"
V3_GOAL = 4.0  # v3 req/s over v2 req/s
NOT_MODIFIED_GOAL = 0.6  # v3 304 req/s over /healthz req/s


@dataclass
class Target:
    label: str
    path: str
    status: int = 200
    headers: dict = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    first_error: str = ""
    cache: Counter = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def fetch(port: int, path: str, headers: dict, timeout: float = 10.0):
    connection = http.client.HTTPConnection(site.HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "buddywerking-bench", **headers})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def load(port: int, target: Target, seconds: float, concurrency: int) -> None:
    """``concurrency`` threads sending sequential requests for ``seconds``; adds to target."""
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        done, errors, first, cache = 0, 0, "", Counter()
        while time.perf_counter() < deadline:
            try:
                status, headers, _body = fetch(port, target.path, target.headers)
            except (OSError, http.client.HTTPException) as error:
                errors += 1
                first = first or f"{type(error).__name__}: {error}"
                continue
            if status != target.status:
                errors += 1
                first = first or f"HTTP {status}, expected {target.status}"
                continue
            done += 1
            cache[headers.get(site.CACHE_HEADER)] += 1
        with lock:
            target.requests += done
            target.errors += errors
            target.first_error = target.first_error or first
            target.cache.update(cache)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    target.seconds += time.perf_counter() - started


def check_answers(port: int) -> str:
    """v2 and v3 list the same tips, 20 at a time, and v3 answers a 304; returns its ETag."""
    status, _headers, body = fetch(port, V2, {})
    v2 = json.loads(body) if status == 200 else {}
    status, headers, body = fetch(port, V3, {})
    v3 = json.loads(body) if status == 200 else {}
    if (
        not v2.get("items")
        or len(v2["items"]) != len(v3.get("items", ()))
        or v2["meta"]["total_count"] != v3.get("count")
    ):
        raise site.BenchError(f"{V2} and {V3} do not list the same tips: {body[:200]!r}")
    etag = headers.get("ETag")
    if not etag:
        raise site.BenchError(f"{V3} answered without an ETag.")
    status, _headers, body = fetch(port, V3, {"If-None-Match": etag})
    if status != 304 or body:
        raise site.BenchError(f"{V3} with If-None-Match answered {status}, not an empty 304.")
    site.out(f"  both list {v3['count']} tips (every locale), {len(v3['items'])} per answer")
    return etag


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per URL")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the URLs taking turns")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per URL")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args(argv)

    site.out("Buddywerking API benchmark (a benchmark, not a test)")
    for line in site.machine_note():
        site.out(line)
    var_dir = Path(tempfile.mkdtemp(prefix="buddywerking-bench-api-"))
    try:
        site.out(f"Set-up in {var_dir} (DJANGO_SETTINGS_MODULE={site.SETTINGS}):")
        site.set_up_site(var_dir)
        env = site.site_env(var_dir, "locmem://", page_cache_seconds="0")
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
            etag = check_answers(port)
            targets = [
                Target("/healthz", HEALTHZ),
                Target("v2 tips", V2),
                Target("v3 tips", V3),
                Target("v3 tips 304", V3, status=304, headers={"If-None-Match": etag}),
            ]
            for target in targets:
                warm = Target(target.label, target.path, target.status, target.headers)
                load(port, warm, args.warmup, args.concurrency)
            for _round in range(args.rounds):
                for target in targets:
                    load(port, target, args.seconds / args.rounds, args.concurrency)
            if server.process.poll() is not None:
                raise site.BenchError(f"gunicorn died during the run.\n{server.log_tail()}")
        finally:
            site.stop_server(server)
    except site.BenchError as error:
        site.out(f"ABORTED: {error}")
        return error.exit_code
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    healthz, v2, v3, not_modified = targets
    site.out("")
    site.out(
        f"gunicorn {args.workers} sync workers, {args.concurrency} client threads, a new "
        f"connection per request, {args.seconds:g} s per URL in {args.rounds} rounds; "
        "PAGE_CACHE_SECONDS=0 (no answer from the page cache)"
    )
    site.out(f"  {'':<14}{'URL':<68}{'req/s':>9}{'errors':>8}{'page cache hits':>17}")
    for target in targets:
        path = target.path + (" (If-None-Match)" if target.headers else "")
        site.out(
            f"  {target.label:<14}{path:<68}{target.rps:>9.1f}{target.errors:>8}"
            f"{target.cache['hit']:>17}"
        )
    load_average = os.getloadavg()[0]
    if load_average > (os.cpu_count() or 1):
        site.out(
            f"  ! load average {load_average:.2f} on {os.cpu_count()} CPUs: other programs were "
            "busy, the figures are less reliable"
        )
    v3_ratio = v3.rps / v2.rps if v2.rps else 0.0
    not_modified_ratio = not_modified.rps / healthz.rps if healthz.rps else 0.0
    goals = [
        ("v3 tips / v2 tips", v3_ratio, V3_GOAL),
        ("v3 304 / /healthz", not_modified_ratio, NOT_MODIFIED_GOAL),
    ]
    site.out("")
    ok = True
    for name, ratio, goal in goals:
        verdict = "PASS" if ratio >= goal else "FAIL"
        ok = ok and ratio >= goal
        site.out(f"  {verdict}  {name}: {ratio:.2f} (goal >= {goal:g})")
    errors = sum(target.errors for target in targets)
    cached = sum(target.cache["hit"] for target in targets)
    for target in targets:
        if target.errors:
            site.out(f"  ! {target.label}: {target.errors} errors, first: {target.first_error}")
    if cached:
        site.out(f"  ! {cached} answers came from the page cache: the figures are not uncached.")
    return 0 if ok and not errors and not cached else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
