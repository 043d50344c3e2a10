"""Start-up: seconds from ``make run`` on a fresh clone to the first answers.

A benchmark, not a test. It clones the committed HEAD of this repository into a
temporary folder, runs ``make run PORT=<a free port>`` there (a new virtual
environment, the requirements, migrate, compile_catalogues, load_demo, then the
server and one task worker) and prints the seconds from the start of ``make``
until the first 200 from ``/healthz`` and from ``/nl/``, with the time each step
of the Makefile took. Then it stops the whole process group and removes the
folder. pip's own cache is used as any ``make run`` would (``--no-pip-cache``
for a cold install from the package index).

    .venv/bin/python bench/startup.py [--timeout 1200] [--no-pip-cache] [--keep]

Exit status: 0 when both answered; 2 when the clone, ``make run`` or the
answers failed or timed out; 130 on Ctrl-C.
"""

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import http.client  # noqa: E402
import os  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
PATHS = ("/healthz", "/nl/")
# What `make run` reads from the environment, and what a `make bench` around this
# script would pass down to the inner make: a fresh clone gets neither.
SCRUBBED_ENV = (
    "VIRTUAL_ENV",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "VAR_DIR",
    "CACHE_URL",
    "PAGE_CACHE_SECONDS",
    "MEDIA_ROOT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "BASE_URL",
    "DEBUG",
    "PYTHONPATH",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
)
# The lines make echoes for each step of `make run`, and the name printed for it.
STEPS = (
    ("-m venv", "virtual environment"),
    ("pip install --quiet --upgrade pip", "upgrade pip"),
    ("pip install --quiet -r requirements.txt", "install requirements.txt"),
    ("manage.py migrate", "migrate"),
    ("manage.py compile_catalogues", "compile_catalogues"),
    ("manage.py load_demo", "load_demo"),
    ("Starting one task worker", "start the server"),
)


class StartupError(Exception):
    pass


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def status_of(port: int, path: str) -> int | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": "buddywerking-bench"})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def clone(destination: Path) -> str:
    done = subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise StartupError(f"git clone failed:\n{done.stderr}")
    head = subprocess.run(
        ["git", "-C", str(destination), "log", "-1", "--format=%h %cI"],
        capture_output=True,
        text=True,
        check=True,
    )
    return head.stdout.strip()


class MakeLog:
    """make's output, to a file, with the time each step began."""

    def __init__(self, stream, path: Path, started: float) -> None:
        self.steps: list[tuple[float, str]] = []
        self.path = path
        self._thread = threading.Thread(target=self._read, args=(stream, started), daemon=True)
        self._thread.start()

    def _read(self, stream, started: float) -> None:
        with self.path.open("w") as log:
            for line in stream:
                log.write(line)
                log.flush()
                for needle, name in STEPS:
                    if needle in line and name not in (step for _, step in self.steps):
                        self.steps.append((time.perf_counter() - started, name))

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.path.read_text(errors="replace")
        except OSError:
            return "(no output)"
        return "\n".join("    | " + line for line in text.rstrip().splitlines()[-lines:])


def stop(process: subprocess.Popen) -> None:
    """Stop make, the server and the task worker: the process group started for them.

    Ctrl-C first, as a person would (the recipe's trap then stops the worker), then
    whatever of the group is left.
    """
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break  # nothing of the group is left
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        time.sleep(0.5)  # let the rest of the group go before the next signal
    process.wait()


def measure(folder: Path, args: argparse.Namespace) -> int:
    out(f"Cloning {ROOT} (committed HEAD) into {folder / 'clone'}")
    head = clone(folder / "clone")
    out(f"  {head}")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
    if args.no_pip_cache:
        env["PIP_NO_CACHE_DIR"] = "1"
    argv = ["make", "run", f"PORT={port}"]
    out(
        f"Running `{shlex.join(argv)}` there; pip's cache: "
        + ("off (PIP_NO_CACHE_DIR=1)" if args.no_pip_cache else "as configured (reused)")
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=folder / "clone",
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the group this script stops at the end
    )
    log = MakeLog(process.stdout, folder / "make-run.log", started)
    answered: dict[str, float] = {}
    try:
        while len(answered) < len(PATHS):
            elapsed = time.perf_counter() - started
            if process.poll() is not None:
                raise StartupError(
                    f"`make run` exited with status {process.returncode} after {elapsed:.0f} s "
                    f"before answering {', '.join(p for p in PATHS if p not in answered)}.\n"
                    + log.tail()
                )
            if elapsed > args.timeout:
                raise StartupError(
                    f"No 200 from {', '.join(p for p in PATHS if p not in answered)} within "
                    f"{args.timeout:.0f} s.\n" + log.tail()
                )
            for path in PATHS:
                if path not in answered and status_of(port, path) == 200:
                    answered[path] = time.perf_counter() - started
            time.sleep(0.05)
    finally:
        stop(process)
    out()
    out("Steps of `make run` (seconds from its start):")
    steps = [
        *log.steps,
        *((seconds, f"first 200 from {path}") for path, seconds in answered.items()),
    ]
    steps.sort()
    for index, (seconds, name) in enumerate(steps):
        took = f" (took {steps[index + 1][0] - seconds:.1f} s)" if index + 1 < len(steps) else ""
        out(f"  {seconds:7.1f}  {name}{took}")
    out()
    for path in PATHS:
        out(f"Start-up: first 200 from {path} after {answered[path]:.1f} s")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--timeout",
        type=float,
        default=1200.0,
        help="seconds to wait for both answers (default 1200)",
    )
    parser.add_argument(
        "--no-pip-cache",
        action="store_true",
        help="install without pip's cache (PIP_NO_CACHE_DIR=1): a cold start",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (its path is printed)"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    for tool in ("git", "make"):
        if shutil.which(tool) is None:
            out(f"{tool} is not on PATH.")
            return 2
    out("Buddywerking start-up benchmark: `make run` on a fresh clone (a benchmark, not a test)")
    out(f"Command: {shlex.join(getattr(sys, 'orig_argv', [sys.executable, *sys.argv]))}")
    try:
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "n/a"
    out(f"Machine: {os.cpu_count()} CPUs, load average {load}")
    folder = Path(tempfile.mkdtemp(prefix="buddywerking-startup-"))
    try:
        return measure(folder, args)
    except StartupError as error:
        out()
        out(f"FAILED: {error}")
        return 2
    finally:
        if args.keep:
            out(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _terminate(signum, frame):
    raise KeyboardInterrupt  # stop `make run` and clean up as on Ctrl-C


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        out("\nInterrupted; `make run` has been stopped and the temporary folder removed.")
        sys.exit(130)
