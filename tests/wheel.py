"""The wheel as a fresh clone builds it: from a copy of the source tree (no build/ left over,
no compiled catalogue), offline, with setuptools and polib from requirements-dev.txt."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a checkout may hold besides the source: never copied, so never able to leak.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "build",
    "dist",
    "*.egg-info",
    "var",
)


def build_wheel(workdir: Path) -> Path:
    """Build the distribution's wheel under ``workdir``; returns the wheel's path."""
    source = workdir / "buddywerking"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    assert not list(source.rglob("*.mo"))
    out = workdir / "dist"
    # No build isolation: setuptools and polib come from requirements-dev.txt, not the network.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        cwd=source,
        timeout=600,
    )
    (path,) = out.glob("buddywerking-*.whl")
    return path
