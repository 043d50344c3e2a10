"""The plugin in other hosts, installed from the wheel, with only the README's steps applied.

``tests/hosts/bare`` is what ``wagtail start bare`` made, plus the README's "Install into
your Wagtail site" steps; ``tests/hosts/pages_only`` installs ``buddypages`` without the
newsletter. Each is copied outside the repository and run by this Python with the wheel
unpacked on its path (the repository itself is not importable there), then checked,
migrated and visited by ``tests/hosts/host_check.py``.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.wheel import build_wheel

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HOSTS = ROOT / "tests" / "hosts"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this repository, unpacked as pip would install it."""
    workdir = tmp_path_factory.mktemp("wheel")
    site_packages = workdir / "site-packages"
    with zipfile.ZipFile(build_wheel(workdir)) as archive:
        archive.extractall(site_packages)
    return site_packages


def run(host: Path, site_packages: Path, *args: str, settings: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TEST_", "DATABASE_URL", "PYTHONPATH"))
    }
    env.update(
        {
            "PYTHONPATH": str(site_packages),
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=host,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def host_copy(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copytree(HOSTS / name, tmp_path / name)
    shutil.copy(HOSTS / "host_check.py", tmp_path / names[-1])
    return tmp_path / names[-1]


def check_migrate_and_visit(host: Path, site_packages: Path, settings: str) -> dict:
    for args in (
        ("manage.py", "check", "--fail-level", "ERROR"),
        ("manage.py", "makemigrations", "--check", "--dry-run"),
        ("manage.py", "migrate", "--noinput"),
    ):
        result = run(host, site_packages, *args, settings=settings)
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    result = run(host, site_packages, "host_check.py", settings=settings)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("HOST-REPORT "))
    return json.loads(line.removeprefix("HOST-REPORT "))


def assert_the_plugin_works(report: dict, site_packages: Path) -> None:
    # The plugin came from the wheel, not from this repository.
    assert report["plugin_from"].startswith(str(site_packages)), report["plugin_from"]
    assert report["can_create_programme_under_home"], "editors cannot add a programme page"
    pages = report["pages"]
    for code, direction in (("nl", "ltr"), ("ar", "rtl")):
        for name in ("programme", "signup", "tip", "calendar"):
            page = pages[f"{name}-{code}"]
            assert page["status"] == 200, (name, code, page["body"][:500])
            assert f'lang="{code}"' in page["html"], (name, code, page["html"])
            assert f'dir="{direction}"' in page["html"], (name, code, page["html"])
        # The widgets' frames, framed by the site itself only (no EMBED_ALLOWED_ORIGINS).
        for name in ("embed-signup", "embed-calendar", "embed-tip"):
            frame = pages[f"{name}-{code}"]
            assert frame["status"] == 200, (name, code, frame["body"][:500])
            assert f'dir="{direction}"' in frame["html"], (name, code, frame["html"])
            assert "frame-ancestors 'self'" in frame["csp"], (name, frame["csp"])
            assert frame["x_frame_options"] == "", (name, frame["x_frame_options"])
        assert 'name="first_name"' in pages[f"embed-signup-{code}"]["body"]
        feed = pages[f"feed-{code}"]
        assert feed["status"] == 200
        assert feed["type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in feed["body"]
        assert "Buddycaf" in feed["body"]
    assert "Buddywerking Testdorp" in pages["programme-nl"]["body"]
    assert "Goeiedag!" in pages["tip-ar"]["body"]
    assert 'name="first_name"' in pages["signup-ar"]["body"]
    assert report["signup_post"]["status"] == 302, report["signup_post"]
    assert ["Samira", "Gastvrij"] in report["participants"]
    api = report["api"]
    assert api["status"] == 200
    assert api["type"].startswith("application/json")
    assert [item["title"] for item in json.loads(api["body"])["items"]] == [
        "Buddywerking Testdorp (ar)"
    ]
    assert report["registry"]["status"] == 200
    assert "Gastvrij" in report["registry"]["body"]
    # The API v3 of the plugin, with its own JSON 404 whatever the host's middleware.
    tips = json.loads(report["api_v3"]["body"])
    assert report["api_v3"]["status"] == 200
    assert [(tip["locale"], tip["phrase"]) for tip in tips["items"]] == [("ar", "Goeiedag!")]
    missing = report["api_v3_missing"]
    assert missing["status"] == 404, missing
    assert missing["type"] == "application/problem+json"
    assert {"list_tips", "pages_list"} <= set(report["api_v3_operations"])


def test_a_bare_wagtail_host_runs_the_plugin_from_the_wheel(installed, tmp_path):
    host = host_copy(tmp_path, "bare")
    report = check_migrate_and_visit(host, installed, "bare.settings.dev")
    assert_the_plugin_works(report, installed)
    assert "newsletter" in report["installed"]
    # The README's step 3 mounts the widgets' script: it came with the wheel.
    assert report["embed_script"]["status"] == 200
    assert report["embed_script"]["type"].startswith("text/javascript")
    assert "data-buddy-widget" in report["embed_script"]["body"]


def test_a_host_without_the_newsletter_runs_buddypages(installed, tmp_path):
    host = host_copy(tmp_path, "bare", "pages_only")
    report = check_migrate_and_visit(host, installed, "pages_only.settings")
    assert_the_plugin_works(report, installed)
    assert "newsletter" not in report["installed"]
