"""HTTP benchmark: /healthz, the home page (cached and uncached) and the pages API.

A benchmark, not a test. It builds a throw-away production-like site in a
temporary VAR_DIR (migrate, compile_catalogues, collectstatic, load_demo with
``buddysite.settings.production``), then serves it with gunicorn on 127.0.0.1
twice in turn:

* ``cached``: ``CACHE_URL=locmem://``, so anonymous page views come from the
  whole-page cache (``X-Page-Cache: hit``);
* ``uncached``: ``PAGE_CACHE_SECONDS=0``, so every page view is rendered (what a
  page-cache miss costs; Wagtail's own small caches stay on, as in production);
* ``no-cache``: ``CACHE_URL=dummy://``, no cache at all (for information only).

Each URL gets a warm-up and then a fixed-duration load from a few client
threads in this process, each making sequential requests with http.client (a
new connection per request: gunicorn's sync workers do not keep connections
alive). Throughput is compared with /healthz measured against the same server,
which is the cheapest request the full middleware stack can answer.

    .venv/bin/python bench/http.py [--seconds 6] [--rounds 3] [--warmup 1] [--concurrency 4]

Exit status: 0 whatever the goals say; 1 when requests errored; 2 when the set-up
or the server failed or the home page was not what it must be (not 200, or not
served from the cache in the cached run); 130 on Ctrl-C.
"""

import sys
from pathlib import Path

# This file is called http.py and Python puts its folder first on sys.path, so
# drop that folder before "import http.client" finds this script instead.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import http.client  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib import metadata  # noqa: E402
from importlib.util import find_spec  # noqa: E402

ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
HEALTHZ = "/healthz"
HOME = "/nl/"
API = "/api/v2/pages/"
PROGRAMME = "/nl/buddywerking/"  # the demo programme page
TIPS = "/nl/taaltips/"  # the demo language tips overview (24 tips, first page of 12)
URLS = (HEALTHZ, HOME, PROGRAMME, TIPS, API)
CACHE_HEADER = "X-Page-Cache"
SETTINGS = "buddysite.settings.production"
WSGI_APP = "buddysite.wsgi:application"
SETUP_COMMANDS = (
    ("migrate", "--noinput"),
    ("compile_catalogues",),
    ("collectstatic", "--noinput"),
    ("load_demo",),
)
# (run label, CACHE_URL, PAGE_CACHE_SECONDS)
RUNS = (
    ("cached", "locmem://", "600"),
    ("uncached", "locmem://", "0"),
    ("no-cache", "dummy://", "600"),
)
# (run label, URL, minimum requests/second as a fraction of /healthz's, description)
GOALS = (
    ("cached", HOME, 0.50, "cached home page"),
    ("uncached", HOME, 0.10, "uncached home page"),
)
# Settings that could point the benchmark at real data or change what is measured.
SCRUBBED_ENV = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "MEDIA_ROOT",
    "PAGE_CACHE_SECONDS",
    "BASE_URL",
    "DEBUG",
)
SECRET_KEY = secrets.token_urlsafe(50)  # a new one for every run of the benchmark


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""

    exit_code = 2


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- The site and its server ---------------------------------------------------------


def site_env(var_dir: Path, cache_url: str, page_cache_seconds: str = "600") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        BASE_URL=f"https://{HOST}",
        VAR_DIR=str(var_dir),
        CACHE_URL=cache_url,
        PAGE_CACHE_SECONDS=page_cache_seconds,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def set_up_site(var_dir: Path) -> None:
    env = site_env(var_dir, "locmem://")
    for command in SETUP_COMMANDS:
        argv = [sys.executable, "manage.py", *command]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchError(
                f"Set-up step failed (exit {done.returncode}): {shlex.join(argv[1:])}\n"
                + _tail(done.stdout + done.stderr)
            )
        out(f"  {shlex.join(command):<24} {took:5.1f} s")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_argv(port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--pythonpath",
        "site,.",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--no-control-socket",
        WSGI_APP,
    ]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    def log_tail(self) -> str:
        try:
            return _tail(self.log_path.read_text(errors="replace"))
        except OSError:
            return "(no server log)"


def start_server(argv: list[str], port: int, env: dict[str, str], log_path: Path) -> Server:
    with log_path.open("wb") as log:
        # A session of its own, so a Ctrl-C in the terminal reaches only this
        # script, which then stops the server in order.
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process=process, port=port, log_path=log_path)


def wait_until_ready(server: Server, timeout: float) -> float:
    started = time.perf_counter()
    last_problem = "no answer yet"
    while time.perf_counter() - started < timeout:
        if server.process.poll() is not None:
            raise BenchError(
                f"gunicorn exited with status {server.process.returncode} before answering "
                f"{HEALTHZ}.\n{server.log_tail()}"
            )
        try:
            status, _, _ = fetch(server.port, HEALTHZ, timeout=2)
        except OSError as error:
            last_problem = str(error)
        else:
            if status == 200:
                return time.perf_counter() - started
            last_problem = f"HTTP {status}"
        time.sleep(0.1)
    raise BenchError(
        f"gunicorn did not answer {HEALTHZ} with 200 within {timeout:.0f} s "
        f"({last_problem}).\n{server.log_tail()}"
    )


def stop_server(server: Server) -> None:
    process = server.process
    if process.poll() is None:
        process.terminate()  # gunicorn's graceful shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # The group is the one this script created for this server alone.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join("    | " + line for line in text.rstrip().splitlines()[-lines:])


# --- CPU accounting (Linux /proc; "n/a" elsewhere) ------------------------------------


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of a process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])
    return int(fields[1]), ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(master_pid: int) -> dict[int, float] | None:
    """CPU seconds used so far by the gunicorn master and each of its workers."""
    master = _proc_stat(master_pid)
    if master is None:
        return None
    usage = {master_pid: master[1]}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] == master_pid:
                usage[int(entry.name)] = stat[1]
    return usage


def machine_busy_cpu() -> float | None:
    """CPU seconds all CPUs of the machine have spent busy since boot."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal
    busy = sum(int(value) for index, value in enumerate(fields[1:9]) if index not in (3, 4))
    return busy / os.sysconf("SC_CLK_TCK")


def cpu_used(before: dict[int, float] | None, after: dict[int, float] | None) -> float | None:
    if before is None or after is None:
        return None
    # A worker that appeared in between (a restart) counts from zero.
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# --- Load ------------------------------------------------------------------------------


def fetch(port: int, path: str, timeout: float) -> tuple[int, str | None, int]:
    """One GET on a new connection: (status, X-Page-Cache header, body length)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "buddywerking-bench"})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader(CACHE_HEADER), len(body)
    finally:
        connection.close()


@dataclass
class Load:
    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    cache: Counter = field(default_factory=Counter)
    client_cpu: float = 0.0
    # None when unknown (no /proc); zero to start adding rounds to.
    server_cpu: float | None = 0.0
    machine_cpu: float | None = 0.0
    ratio: float | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(math.ceil(percent / 100 * len(ordered)), 1)
        return ordered[rank - 1] * 1000

    def cache_note(self) -> str:
        total = sum(self.cache.values())
        if not total or set(self.cache) == {None}:
            return "-"
        return f"{100 * self.cache['hit'] / total:.0f}% hit"

    def merge(self, other: "Load") -> None:
        """Add the figures of another measurement of the same URL."""
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.first_error = self.first_error or other.first_error
        self.cache.update(other.cache)
        self.client_cpu += other.client_cpu
        for name in ("server_cpu", "machine_cpu"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, None if mine is None or theirs is None else mine + theirs)

    def other_cores(self) -> float | None:
        """CPU used by everything but this script and the server (other programs, kernel)."""
        if self.machine_cpu is None or self.server_cpu is None or not self.seconds:
            return None
        return max(self.machine_cpu - self.server_cpu - self.client_cpu, 0.0) / self.seconds

    def server_ms_per_request(self) -> float | None:
        if self.server_cpu is None or not self.requests:
            return None
        return self.server_cpu * 1000 / self.requests


def run_load(server: Server, path: str, seconds: float, concurrency: int, timeout: float) -> Load:
    """``concurrency`` threads, each sending sequential requests for ``seconds``."""
    load = Load(path=path)
    lock = threading.Lock()
    go = threading.Event()
    deadline = [0.0]

    def client() -> None:
        latencies: list[float] = []
        cache: Counter = Counter()
        errors = 0
        first_error = ""
        go.wait()
        while True:
            started = time.perf_counter()
            if started >= deadline[0]:
                break
            try:
                status, cache_header, _ = fetch(server.port, path, timeout)
            except (OSError, http.client.HTTPException) as error:
                errors += 1
                first_error = first_error or f"{type(error).__name__}: {error}"
                continue
            if status != 200:
                errors += 1
                first_error = first_error or f"HTTP {status}"
                continue
            latencies.append(time.perf_counter() - started)
            cache[cache_header] += 1
        with lock:
            load.latencies.extend(latencies)
            load.cache.update(cache)
            load.errors += errors
            load.first_error = load.first_error or first_error

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu_before = server_cpu(server.process.pid)
    machine_before = machine_busy_cpu()
    client_before = time.process_time()
    started = time.perf_counter()
    deadline[0] = started + seconds
    go.set()
    try:
        for thread in threads:
            thread.join()
    finally:
        deadline[0] = 0.0  # on Ctrl-C, let the client threads stop at once
    load.seconds = time.perf_counter() - started
    load.client_cpu = time.process_time() - client_before
    load.server_cpu = cpu_used(cpu_before, server_cpu(server.process.pid))
    machine_after = machine_busy_cpu()
    if machine_before is None or machine_after is None:
        load.machine_cpu = None
    else:
        load.machine_cpu = machine_after - machine_before
    return load


def check_home_page(server: Server, label: str, timeout: float) -> None:
    """After warm-up: 200 every time, and from the cache exactly when it should be."""
    headers = []
    for _ in range(6):
        status, cache_header, size = fetch(server.port, HOME, timeout)
        if status != 200:
            raise BenchError(
                f"{HOME} answered HTTP {status} in the {label} run, not 200: the home page "
                f"is broken, so its figures would mean nothing.\n{server.log_tail()}"
            )
        if size == 0:
            raise BenchError(f"{HOME} answered 200 with an empty body in the {label} run.")
        headers.append(cache_header)
    if label == "cached" and any(header != "hit" for header in headers):
        raise BenchError(
            f"{HOME} was not served from the page cache after warm-up in the cached run "
            f"({CACHE_HEADER} headers: {headers}); expected 'hit' every time. The cached "
            "figures would measure rendering, not the cache."
        )
    if label == "uncached" and "hit" in headers:
        raise BenchError(
            f"{HOME} came from a cache in the uncached run ({CACHE_HEADER}: {headers})."
        )


# --- Report ---------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None or math.isnan(value) else format(value, spec)


TABLE_HEADER = (
    f"  {'URL':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}"
    f"{'cache':>10}{'srv CPU ms/req':>16}{'client CPU':>12}{'other CPU':>11}"
)


def table_row(load: Load) -> str:
    return (
        f"  {load.path:<16}{load.rps:>9.1f}{_fmt(load.percentile_ms(50), '.1f'):>9}"
        f"{_fmt(load.percentile_ms(99), '.1f'):>9}{load.errors:>8}"
        f"{_fmt(load.ratio, '.2f'):>8}{load.cache_note():>10}"
        f"{_fmt(load.server_ms_per_request(), '.2f'):>16}"
        f"{_fmt(load.client_cpu / load.seconds if load.seconds else None, '.2f'):>12}"
        f"{_fmt(load.other_cores(), '.2f'):>11}"
    )


def machine_note() -> list[str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = None
    try:
        load_avg = " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load_avg = "n/a"
    versions = []
    for package in ("gunicorn", "Django", "wagtail"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} ?")
    return [
        f"Machine: {os.cpu_count()} CPUs (usable by this process: {usable}), "
        f"load average {load_avg}",
        f"         {platform.platform()}, Python {platform.python_version()}, "
        + ", ".join(versions),
    ]


# --- Main -------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=6.0, help="measured seconds per URL (default 6)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="split each URL's measured time into this many rounds, the URLs taking turns, "
        "so that a change in background load affects every URL alike (default 3)",
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="warm-up seconds per URL (default 1)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request (default 10)"
    )
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for the server to answer /healthz (default 60)",
    )
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.warmup < 0:
        parser.error("--seconds must be > 0 and --warmup >= 0")
    if min(args.rounds, args.concurrency, args.workers) < 1:
        parser.error("--rounds, --concurrency and --workers must be >= 1")
    return args


def bench_run(
    label: str, cache_url: str, page_cache_seconds: str, args: argparse.Namespace, var_dir: Path
) -> list[Load]:
    port = free_port()
    argv = gunicorn_argv(port, args.workers)
    env = site_env(var_dir, cache_url, page_cache_seconds)
    out()
    out(f"Run '{label}': CACHE_URL={cache_url} PAGE_CACHE_SECONDS={page_cache_seconds}")
    out(
        f"  server: (cd {shlex.quote(str(ROOT))} && DJANGO_SETTINGS_MODULE={SETTINGS} "
        f"SECRET_KEY=<{len(SECRET_KEY)} random chars> ALLOWED_HOSTS={env['ALLOWED_HOSTS']} "
        f"SECURE_SSL_REDIRECT=false VAR_DIR={shlex.quote(str(var_dir))} "
        f"CACHE_URL={cache_url} PAGE_CACHE_SECONDS={page_cache_seconds} {shlex.join(argv)})"
    )
    server = start_server(argv, port, env, var_dir / f"gunicorn-{label}.log")
    try:
        ready = wait_until_ready(server, args.start_timeout)
        out(f"  {HEALTHZ} answered after {ready:.1f} s")
        for path in URLS:
            if args.warmup:
                run_load(server, path, args.warmup, args.concurrency, args.timeout)
        check_home_page(server, label, args.timeout)
        loads = [Load(path=path) for path in URLS]
        slice_seconds = args.seconds / args.rounds
        for _round in range(args.rounds):
            for load in loads:
                part = run_load(server, load.path, slice_seconds, args.concurrency, args.timeout)
                load.merge(part)
        if server.process.poll() is not None:
            raise BenchError(f"gunicorn died during the {label} run.\n{server.log_tail()}")
    finally:
        stop_server(server)
    healthz_rps = loads[0].rps
    for load in loads:
        load.ratio = load.rps / healthz_rps if healthz_rps else None
    out(TABLE_HEADER)
    for load in loads:
        out(table_row(load))
    for load in loads:
        if load.errors:
            out(f"  ! {load.path}: {load.errors} errors, first: {load.first_error}")
    return loads


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if find_spec("gunicorn") is None:
        out(f"gunicorn is not installed for {sys.executable}; run `make install-dev`.")
        return 2
    out("Buddywerking HTTP benchmark (a benchmark, not a test)")
    out(f"Command: {shlex.join(getattr(sys, 'orig_argv', [sys.executable, *sys.argv]))}")
    out(f"Working directory: {Path.cwd()}")
    for line in machine_note():
        out(line)
    out(
        f"Load: {args.concurrency} client threads in this process, sequential GETs, a new "
        f"connection per request; per URL {args.warmup:g} s warm-up, then {args.seconds:g} s "
        f"measured in {args.rounds} rounds (URLs taking turns); gunicorn {args.workers} sync "
        f"workers on {HOST}"
    )
    out(
        "Columns: ratio = req/s / /healthz req/s in the same run; cache = share of "
        f"{CACHE_HEADER}: hit; srv CPU ms/req = gunicorn CPU time per request; client CPU = "
        "cores used by this script; other CPU = cores busy with anything else (other "
        "programs, kernel): high values mean a noisy machine and less reliable figures"
    )

    var_dir = Path(tempfile.mkdtemp(prefix="buddywerking-bench-"))
    results: dict[str, list[Load]] = {}
    try:
        out()
        out(f"Set-up in {var_dir} (DJANGO_SETTINGS_MODULE={SETTINGS}):")
        set_up_site(var_dir)
        for label, cache_url, page_cache_seconds in RUNS:
            results[label] = bench_run(label, cache_url, page_cache_seconds, args, var_dir)
    except BenchError as error:
        out()
        out(f"ABORTED: {error}")
        return error.exit_code
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    out()
    out("Goals (requests/second as a fraction of /healthz in the same server run):")
    for label, path, minimum, description in GOALS:
        load = next(load for load in results[label] if load.path == path)
        verdict = "PASS" if load.ratio is not None and load.ratio >= minimum else "FAIL"
        out(
            f"  {verdict}  {description} ({label} run, {path}): "
            f"{_fmt(load.ratio, '.2f')} (goal >= {minimum:.2f}; "
            f"{load.rps:.1f} vs {results[label][0].rps:.1f} req/s)"
        )
    errors = sum(load.errors for loads in results.values() for load in loads)
    if errors:
        out(f"{errors} requests errored; exit status 1.")
        return 1
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt  # stop the server and clean up as on Ctrl-C


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        out("\nInterrupted; the server has been stopped and the temporary folder removed.")
        sys.exit(130)
