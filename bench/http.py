"""HTTP benchmark: every public URL as a share of a bare WSGI app under the same gunicorn.

A benchmark, not a test. It builds a throw-away production-like site in a
temporary VAR_DIR (migrate, compile_catalogues, collectstatic, load_demo with
``buddysite.settings.production``, SQLite), then starts three servers with the
same gunicorn command (2 sync workers by default) on 127.0.0.1:

* ``bare``: ``bench/bare_wsgi.py``, a WSGI app answering 200 "hello" and nothing
  else: the limit of the stack on this machine;
* ``cached``: the site with ``CACHE_URL=locmem://``, so anonymous page views come
  from the whole-page cache (``X-Page-Cache: hit``);
* ``uncached``: the site with ``PAGE_CACHE_SECONDS=0``, so every page view is
  rendered (what a page-cache miss costs; Wagtail's own small caches stay on, as
  in production).

The load generator is ``wrk`` (2 threads, 8 connections) when it is on PATH
(``make bench`` installs Debian's as root), otherwise a Python client in this
process, which says so. Every URL is measured in rounds, the URLs taking turns
so that a change in background load touches them alike. The bare app swings
between rounds (connection churn at thousands of requests a second), so its best
round is the limit; every URL is reported as its median round and that median's
share of the limit, beside the share of ``/healthz``. Before and after the
rounds every URL must answer 200, and the cached run's pages must come from the
cache. The resident memory (VmRSS) of each gunicorn worker after warm-up is
printed for the site and the bare app.

    .venv/bin/python bench/http.py [--seconds 2] [--rounds 5] [--warmup 1]
        [--client auto|wrk|python] [--threads 2] [--connections 8] [--workers 2]

Exit status: 0 whatever the goals say; 1 when requests errored; 2 when the set-up
or a server failed or a URL was not what it must be (not 200, or not served from
the cache in the cached run, or served from it in the uncached one); 130 on Ctrl-C.
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
import re  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib import metadata  # noqa: E402
from importlib.util import find_spec  # noqa: E402

ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
HEALTHZ = "/healthz"
HOME = "/nl/"
PROGRAMME = "/nl/buddywerking/"  # the demo programme page
TIPS = "/nl/taaltips/"  # the demo language tips overview (24 tips, first page of 12)
CALENDAR = "/nl/activiteiten/"  # the demo activity calendar
ICAL = "/nl/activiteiten/ical/"  # its iCalendar feed
API = "/api/v2/pages/"
TIPS_API_AR = "/api/v2/pages/?type=buddypages.LanguageTipPage&locale=ar&fields=*"
CACHE_HEADER = "X-Page-Cache"
SETTINGS = "buddysite.settings.production"
SITE_APP = "buddysite.wsgi:application"
BARE_APP = "bench.bare_wsgi:application"  # bench/ itself must stay off the path (http.py)
BARE_BODY = b"hello"
SETUP_COMMANDS = (
    ("migrate", "--noinput"),
    ("compile_catalogues",),
    ("collectstatic", "--noinput"),
    ("load_demo",),
)
# (server, WSGI app, CACHE_URL, PAGE_CACHE_SECONDS)
SERVERS = (
    ("bare", BARE_APP, "locmem://", "600"),
    ("cached", SITE_APP, "locmem://", "600"),
    ("uncached", SITE_APP, "locmem://", "0"),
)
PAGES = (("home", HOME), ("programme", PROGRAMME), ("tips", TIPS), ("calendar", CALENDAR))


@dataclass(frozen=True)
class Target:
    """One URL on one server, measured in every round."""

    server: str
    name: str
    path: str
    page: bool = False  # served by the page cache when the server has one
    goal: float | None = None  # the least share of the bare app's best round

    @property
    def label(self) -> str:
        return f"{self.server} {self.name}"


# In the order of a round. Goals from issue 17.
TARGETS = (
    Target("bare", "hello", "/"),
    Target("cached", "healthz", HEALTHZ),
    *(Target("cached", name, path, page=True, goal=0.6) for name, path in PAGES),
    Target("uncached", "home", HOME, page=True, goal=0.08),
    Target("uncached", "programme", PROGRAMME, page=True, goal=0.05),
    Target("uncached", "tips", TIPS, page=True, goal=0.05),
    Target("uncached", "calendar", CALENDAR, page=True, goal=0.04),
    Target("uncached", "api", API, goal=0.04),
    Target("uncached", "tips-api-ar", TIPS_API_AR),
    Target("uncached", "ical", ICAL, goal=0.04),
)
BARE = TARGETS[0]
HEALTHZ_TARGET = TARGETS[1]
# Settings that could point the benchmark at real data or change what is measured.
SCRUBBED_ENV = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "MEDIA_ROOT",
    "PAGE_CACHE_SECONDS",
    "BASE_URL",
    "DEBUG",
    "FRONTEND_CACHE_URL",
)
SECRET_KEY = secrets.token_urlsafe(50)  # a new one for every run of the benchmark
USER_AGENT = "buddywerking-bench"


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""

    exit_code = 2


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- The site and its servers ----------------------------------------------------------


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


def gunicorn_argv(port: int, workers: int, app: str) -> list[str]:
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
        app,
    ]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    def log_tail(self) -> str:
        try:
            return _tail(self.log_path.read_text(errors="replace"))
        except OSError:
            return "(no server log)"


def start_server(name: str, argv: list[str], port: int, env: dict[str, str], log: Path) -> Server:
    with log.open("wb") as log_file:
        # A session of its own, so a Ctrl-C in the terminal reaches only this
        # script, which then stops the server in order.
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name=name, process=process, port=port, log_path=log)


def wait_until_ready(server: Server, path: str, timeout: float) -> float:
    started = time.perf_counter()
    last_problem = "no answer yet"
    while time.perf_counter() - started < timeout:
        if server.process.poll() is not None:
            raise BenchError(
                f"gunicorn ({server.name}) exited with status {server.process.returncode} "
                f"before answering {path}.\n{server.log_tail()}"
            )
        try:
            status, _, _ = fetch(server.port, path, timeout=2)
        except OSError as error:
            last_problem = str(error)
        else:
            if status == 200:
                return time.perf_counter() - started
            last_problem = f"HTTP {status}"
        time.sleep(0.1)
    raise BenchError(
        f"gunicorn ({server.name}) did not answer {path} with 200 within {timeout:.0f} s "
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


# --- Processes: CPU and memory (Linux /proc; "n/a" elsewhere) ---------------------------


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of a process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])
    return int(fields[1]), ticks / os.sysconf("SC_CLK_TCK")


def children(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] == master_pid:
                pids.append(int(entry.name))
    return sorted(pids)


def server_cpu(master_pid: int) -> dict[int, float] | None:
    """CPU seconds used so far by the gunicorn master and each of its workers."""
    master = _proc_stat(master_pid)
    if master is None:
        return None
    usage = {master_pid: master[1]}
    for pid in children(master_pid):
        stat = _proc_stat(pid)
        if stat is not None:
            usage[pid] = stat[1]
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


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process (VmRSS in /proc/<pid>/status), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def workers_rss(server: Server) -> list[float]:
    return [mib for pid in children(server.process.pid) if (mib := rss_mib(pid)) is not None]


# --- Load ------------------------------------------------------------------------------


def fetch(port: int, path: str, timeout: float) -> tuple[int, str | None, bytes]:
    """One GET on a new connection: (status, X-Page-Cache header, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader(CACHE_HEADER), body
    finally:
        connection.close()


@dataclass
class Sample:
    """One round of load on one URL."""

    seconds: float
    requests: int  # answered or failed, as the client counts them
    errors: int = 0
    failed_requests: int = 0  # the errors that are counted among ``requests``
    first_error: str = ""
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    client_cpu: float = 0.0
    server_cpu: float | None = None
    machine_cpu: float | None = None

    @property
    def rps(self) -> float:
        ok = max(self.requests - self.failed_requests, 0)
        return ok / self.seconds if self.seconds else 0.0


class WrkClient:
    """Debian's wrk: C, event loop, keep-alive where the server allows it."""

    name = "wrk"

    def __init__(self, threads: int, connections: int, timeout: float) -> None:
        self.executable = shutil.which("wrk")
        self.threads = threads
        self.connections = connections
        self.timeout = timeout

    def describe(self) -> str:
        return (
            f"wrk ({self.executable}), {self.threads} threads, {self.connections} connections "
            "(gunicorn's sync workers close every connection after one answer, so wrk "
            "reconnects for each request)"
        )

    def run(self, port: int, path: str, seconds: int) -> Sample:
        argv = [
            self.executable,
            f"--threads={self.threads}",
            f"--connections={self.connections}",
            f"--duration={seconds}s",
            f"--timeout={max(round(self.timeout), 1)}s",
            "--latency",
            f"--header=User-Agent: {USER_AGENT}",
            f"http://{HOST}:{port}{path}",
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"wrk failed (exit {done.returncode}):\n{_tail(done.stderr)}")
        return parse_wrk(done.stdout)


_WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def parse_wrk(report: str) -> Sample:
    """wrk's report (with --latency) as a Sample."""
    done = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),", report, re.MULTILINE)
    if done is None:
        raise BenchError(f"Could not read wrk's report:\n{_tail(report)}")
    sample = Sample(
        seconds=float(done.group(2)) * _WRK_UNITS[done.group(3)] / 1000,
        requests=int(done.group(1)),
    )
    for percent, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", report, re.MULTILINE)
        if found:
            setattr(sample, attribute, float(found.group(1)) * _WRK_UNITS[found.group(2)])
    problems = []
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if socket_errors:
        counts = dict(
            zip(("connect", "read", "write", "timeout"), socket_errors.groups(), strict=True)
        )
        failed = sum(int(count) for count in counts.values())
        if failed:
            problems.append(
                "socket errors: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())
            )
            sample.errors += failed
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    if non_2xx:
        # wrk counts these among its requests; socket errors it does not.
        sample.errors += int(non_2xx.group(1))
        sample.failed_requests = int(non_2xx.group(1))
        problems.append(f"{non_2xx.group(1)} answers not 2xx or 3xx")
    sample.first_error = "; ".join(problems)
    return sample


class PythonClient:
    """The fallback: threads in this process, sequential GETs, a new connection each."""

    name = "python"

    def __init__(self, connections: int, timeout: float) -> None:
        self.connections = connections
        self.timeout = timeout

    def describe(self) -> str:
        return (
            f"Python client: {self.connections} threads in this process, sequential GETs, a "
            "new connection per request. It cannot drive the bare app to its limit, so the "
            "shares below overstate the site's (install wrk: `make bench` does as root)"
        )

    def run(self, port: int, path: str, seconds: int) -> Sample:
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        go = threading.Event()
        deadline = [0.0]

        def client() -> None:
            mine: list[float] = []
            my_errors: list[str] = []
            go.wait()
            while True:
                started = time.perf_counter()
                if started >= deadline[0]:
                    break
                try:
                    status, _, _ = fetch(port, path, self.timeout)
                except (OSError, http.client.HTTPException) as error:
                    my_errors.append(f"{type(error).__name__}: {error}")
                    continue
                if status != 200:
                    my_errors.append(f"HTTP {status}")
                    continue
                mine.append(time.perf_counter() - started)
            with lock:
                latencies.extend(mine)
                errors.extend(my_errors)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        deadline[0] = started + seconds
        go.set()
        try:
            for thread in threads:
                thread.join()
        finally:
            deadline[0] = 0.0  # on Ctrl-C, let the client threads stop at once
        ordered = sorted(latencies)
        sample = Sample(
            seconds=time.perf_counter() - started,
            requests=len(latencies) + len(errors),
            errors=len(errors),
            failed_requests=len(errors),
            first_error=errors[0] if errors else "",
        )
        if ordered:
            sample.p50_ms = ordered[max(math.ceil(0.5 * len(ordered)), 1) - 1] * 1000
            sample.p99_ms = ordered[max(math.ceil(0.99 * len(ordered)), 1) - 1] * 1000
        return sample


def measure(client, server: Server, path: str, seconds: int) -> Sample:
    """One round of load, with the CPU the server, the client and the machine used."""
    cpu_before = server_cpu(server.process.pid)
    machine_before = machine_busy_cpu()
    # wrk is a child that is waited for; the servers are not reaped before the end.
    client_before = time.process_time() + _children_cpu()
    sample = client.run(server.port, path, seconds)
    sample.client_cpu = time.process_time() + _children_cpu() - client_before
    sample.server_cpu = cpu_used(cpu_before, server_cpu(server.process.pid))
    machine_after = machine_busy_cpu()
    if machine_before is not None and machine_after is not None:
        sample.machine_cpu = machine_after - machine_before
    return sample


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Result:
    target: Target
    samples: list[Sample] = field(default_factory=list)

    @property
    def rps(self) -> float:
        """The median round."""
        return statistics.median(sample.rps for sample in self.samples)

    @property
    def best(self) -> float:
        return max(sample.rps for sample in self.samples)

    @property
    def worst(self) -> float:
        return min(sample.rps for sample in self.samples)

    @property
    def errors(self) -> int:
        return sum(sample.errors for sample in self.samples)

    @property
    def first_error(self) -> str:
        return next((sample.first_error for sample in self.samples if sample.first_error), "")

    def median_of(self, attribute: str) -> float:
        values = [getattr(sample, attribute) for sample in self.samples]
        values = [value for value in values if not math.isnan(value)]
        return statistics.median(values) if values else math.nan

    def round_share(self, bare: "Result") -> float | None:
        """The median of this URL's share of the bare app's figure in the same round."""
        shares = [
            mine.rps / theirs.rps
            for mine, theirs in zip(self.samples, bare.samples, strict=True)
            if theirs.rps
        ]
        return statistics.median(shares) if shares else None

    def server_ms_per_request(self) -> float | None:
        if any(sample.server_cpu is None for sample in self.samples):
            return None
        requests = sum(sample.requests for sample in self.samples)
        cpu = sum(sample.server_cpu for sample in self.samples)
        return cpu * 1000 / requests if requests else None

    def other_cores(self) -> float | None:
        """Cores busy with everything but the client and the server (other programs, kernel)."""
        if any(s.server_cpu is None or s.machine_cpu is None for s in self.samples):
            return None
        seconds = sum(sample.seconds for sample in self.samples)
        other = sum(s.machine_cpu - s.server_cpu - s.client_cpu for s in self.samples)
        return max(other, 0.0) / seconds if seconds else None


# --- Checks -----------------------------------------------------------------------------


def check_targets(servers: dict[str, Server], when: str, timeout: float) -> None:
    """Every URL answers 200, the cached run's pages from the cache, the uncached run's not."""
    for target in TARGETS:
        server = servers[target.server]
        headers = []
        for _ in range(3):
            status, cache_header, body = fetch(server.port, target.path, timeout)
            if status != 200:
                raise BenchError(
                    f"{target.path} answered HTTP {status} on the {target.server} server "
                    f"{when}, not 200: its figures would mean nothing.\n{server.log_tail()}"
                )
            if not body:
                raise BenchError(f"{target.path} answered 200 with an empty body {when}.")
            if target is BARE and body != BARE_BODY:
                raise BenchError(f"The bare app answered {body[:60]!r}, not {BARE_BODY!r}.")
            headers.append(cache_header)
        if target.server == "cached" and target.page and any(h != "hit" for h in headers):
            raise BenchError(
                f"{target.path} was not served from the page cache {when} in the cached run "
                f"({CACHE_HEADER} headers: {headers}); expected 'hit' every time. The cached "
                "figures would measure rendering, not the cache."
            )
        if target.server == "uncached" and "hit" in headers:
            raise BenchError(
                f"{target.path} came from a cache {when} in the uncached run "
                f"({CACHE_HEADER}: {headers})."
            )


# --- Report ---------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None or math.isnan(value) else format(value, spec)


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


TABLE_HEADER = (
    f"  {'server':<9}{'URL name':<13}{'req/s':>8}{'min-max':>12}{'p50 ms':>8}{'p99 ms':>8}"
    f"{'errors':>7}{'share':>7}{'rnd share':>10}{'/healthz':>9}{'srv ms/req':>11}"
    f"{'other CPU':>10}"
)


def table_row(result: Result, bare: Result, healthz_rps: float) -> str:
    target = result.target
    limit = bare.best
    share = result.rps / limit if limit else None
    versus_healthz = result.rps / healthz_rps if healthz_rps else None
    spread = f"{result.worst:.0f}-{result.best:.0f}"
    return (
        f"  {target.server:<9}{target.name:<13}{result.rps:>8.0f}{spread:>12}"
        f"{_fmt(result.median_of('p50_ms'), '.1f'):>8}{_fmt(result.median_of('p99_ms'), '.1f'):>8}"
        f"{result.errors:>7}{_fmt(share, '.3f'):>7}{_fmt(result.round_share(bare), '.3f'):>10}"
        f"{_fmt(versus_healthz, '.2f'):>9}"
        f"{_fmt(result.server_ms_per_request(), '.2f'):>11}{_fmt(result.other_cores(), '.2f'):>10}"
    )


def report_memory(servers: dict[str, Server], when: str) -> None:
    out(f"Memory: resident set (VmRSS) of each gunicorn worker {when}:")
    for name, server in servers.items():
        sizes = workers_rss(server)
        master = rss_mib(server.process.pid)
        what = "the bare app (reference)" if name == "bare" else f"the site, {name} run"
        out(
            f"  {what:<26} workers: "
            + (", ".join(f"{size:.1f} MiB" for size in sizes) or "n/a")
            + f"  (master {_fmt(master, '.1f')} MiB)"
        )


# --- Main -------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=int, default=2, help="seconds of load per URL and round (default 2)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds; in each the URLs take turns, so that a change in background load "
        "touches every URL alike (default 5)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="warm-up seconds per URL, at least 1: each worker keeps its own page cache "
        "(locmem), so each must see every page before the check that the pages are cached "
        "(default 1)",
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when on PATH, else Python (default auto)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="open connections (wrk) or client threads (Python client) (default 8)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request (default 10)"
    )
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for each server's first answer (default 60)",
    )
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.warmup < 1:
        parser.error("--seconds and --warmup must be >= 1")
    if min(args.rounds, args.threads, args.connections, args.workers) < 1:
        parser.error("--rounds, --threads, --connections and --workers must be >= 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (each wrk thread needs one)")
    return args


def make_client(args: argparse.Namespace):
    if args.client != "python" and shutil.which("wrk"):
        return WrkClient(args.threads, args.connections, args.timeout)
    if args.client == "wrk":
        raise BenchError("--client wrk, but wrk is not on PATH (Debian: apt-get install wrk).")
    return PythonClient(args.connections, args.timeout)


def start_servers(args: argparse.Namespace, var_dir: Path, servers: dict[str, Server]) -> None:
    """Start every server (filling ``servers`` as they start, for the caller to stop)."""
    for name, app, cache_url, page_cache_seconds in SERVERS:
        port = free_port()
        argv = gunicorn_argv(port, args.workers, app)
        env = site_env(var_dir, cache_url, page_cache_seconds)
        out(
            f"  {name}: (cd {shlex.quote(str(ROOT))} && DJANGO_SETTINGS_MODULE={SETTINGS} "
            f"SECRET_KEY=<{len(SECRET_KEY)} random chars> ALLOWED_HOSTS={env['ALLOWED_HOSTS']} "
            f"SECURE_SSL_REDIRECT=false VAR_DIR={shlex.quote(str(var_dir))} "
            f"CACHE_URL={cache_url} PAGE_CACHE_SECONDS={page_cache_seconds} {shlex.join(argv)})"
        )
        servers[name] = start_server(name, argv, port, env, var_dir / f"gunicorn-{name}.log")
    for name, server in servers.items():
        path = BARE.path if name == "bare" else HEALTHZ
        ready = wait_until_ready(server, path, args.start_timeout)
        out(f"  {name}: {path} answered after {ready:.1f} s")


def bench(args: argparse.Namespace, client, var_dir: Path) -> dict[Target, Result]:
    servers: dict[str, Server] = {}
    try:
        out()
        out("Servers (the same gunicorn command for all three):")
        start_servers(args, var_dir, servers)
        for target in TARGETS:
            client.run(servers[target.server].port, target.path, args.warmup)
        check_targets(servers, "after warm-up", args.timeout)
        out()
        report_memory(servers, "after warm-up")
        results = {target: Result(target) for target in TARGETS}
        for _round in range(args.rounds):
            for target in TARGETS:
                sample = measure(client, servers[target.server], target.path, args.seconds)
                results[target].samples.append(sample)
        for server in servers.values():
            if server.process.poll() is not None:
                raise BenchError(f"gunicorn ({server.name}) died.\n{server.log_tail()}")
        check_targets(servers, "after the rounds", args.timeout)
        report_memory(servers, "after the rounds")
    finally:
        for server in servers.values():
            stop_server(server)
    return results


def report(results: dict[Target, Result], args: argparse.Namespace) -> None:
    limit = results[BARE].best
    healthz_rps = results[HEALTHZ_TARGET].rps
    out()
    out(
        "The limit: the bare app's best round, "
        f"{limit:.0f} req/s (rounds: "
        + ", ".join(f"{sample.rps:.0f}" for sample in results[BARE].samples)
        + ")"
    )
    out(
        "Columns: req/s = median round; min-max = worst and best round; share = req/s / the "
        "limit (what the goals use); rnd share = the median of the URL's share of the bare "
        "app's figure in the same round (less touched by a load that changes from round to "
        "round); /healthz = req/s / /healthz's; srv ms/req = gunicorn CPU time per request; "
        "other CPU = cores busy with anything but this client and the server (other programs, "
        "kernel): high values mean a noisy machine and less reliable figures"
    )
    out("URLs: " + "; ".join(f"{t.name} {t.path}" for t in TARGETS if t.server != "cached"))
    out(TABLE_HEADER)
    for result in results.values():
        out(table_row(result, results[BARE], healthz_rps))
    for result in results.values():
        if result.errors:
            out(f"  ! {result.target.label}: {result.errors} errors, {result.first_error}")
    out()
    out(
        f"Goals (median req/s as a share of the bare app's best round, {limit:.0f} req/s; "
        f"/healthz is at {healthz_rps / limit if limit else math.nan:.3f}):"
    )
    for target, result in results.items():
        if target.goal is None:
            continue
        share = result.rps / limit if limit else 0.0
        verdict = "PASS" if share >= target.goal else "FAIL"
        out(
            f"  {verdict}  {target.server} {target.name} {target.path}: {share:.4f} "
            f"(goal >= {target.goal:g}; {result.rps:.0f} req/s)"
        )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if find_spec("gunicorn") is None:
        out(f"gunicorn is not installed for {sys.executable}; run `make install-dev`.")
        return 2
    try:
        client = make_client(args)
    except BenchError as error:
        out(str(error))
        return error.exit_code
    out("Buddywerking HTTP benchmark against a bare WSGI app (a benchmark, not a test)")
    out(f"Command: {shlex.join(getattr(sys, 'orig_argv', [sys.executable, *sys.argv]))}")
    out(f"Working directory: {Path.cwd()}")
    for line in machine_note():
        out(line)
    if client.name != "wrk":
        out("wrk is not on PATH: falling back to the Python client.")
    out(f"Load: {client.describe()}.")
    out(
        f"Per URL {args.warmup} s warm-up, then {args.rounds} rounds of {args.seconds} s (URLs "
        f"taking turns); gunicorn {args.workers} sync workers per server on {HOST}, SQLite, "
        "demo content."
    )

    var_dir = Path(tempfile.mkdtemp(prefix="buddywerking-bench-"))
    try:
        out()
        out(f"Set-up in {var_dir} (DJANGO_SETTINGS_MODULE={SETTINGS}):")
        set_up_site(var_dir)
        results = bench(args, client, var_dir)
    except BenchError as error:
        out()
        out(f"ABORTED: {error}")
        return error.exit_code
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    report(results, args)
    errors = sum(result.errors for result in results.values())
    if errors:
        out(f"{errors} requests errored; exit status 1.")
        return 1
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt  # stop the servers and clean up as on Ctrl-C


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        out("\nInterrupted; the servers have been stopped and the temporary folder removed.")
        sys.exit(130)
