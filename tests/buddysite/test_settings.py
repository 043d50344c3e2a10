import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from buddysite.settings.env import cache_from_url, development_secret_key, env_bool

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "x7Gk2pQ9vLm4Rt8Wn3Ys6Zb1Hc5Jd0Fe-aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"


def manage(*args, env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update({"VAR_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "buddysite.settings.production",
    "SECRET_KEY": STRONG_SECRET,
    "ALLOWED_HOSTS": "buddy.example.be",
    "BASE_URL": "https://buddy.example.be",
}


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "a1b2c3d4e5" * 6, "a" * 60])
def test_production_refuses_to_start_without_a_real_secret(tmp_path, secret):
    result = manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": secret}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage("check", env_overrides={**PRODUCTION, "ALLOWED_HOSTS": ""}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("base_url", ["", "http://buddy.example.be"])
def test_production_refuses_to_start_without_an_https_base_url(tmp_path, base_url):
    result = manage("check", env_overrides={**PRODUCTION, "BASE_URL": base_url}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "BASE_URL" in result.stderr


def test_development_secret_is_generated_once_into_an_untracked_file(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = development_secret_key(path)
    assert len(first) >= 50
    assert development_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "var/" in (ROOT / ".gitignore").read_text().split()


def test_cache_url_parsing():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://cache.internal:6379/1?timeout=60")
    assert redis["LOCATION"] == "redis://cache.internal:6379/1"
    assert redis["TIMEOUT"] == 60
    assert cache_from_url("memcached://10.0.0.5:11211")["LOCATION"] == "10.0.0.5:11211"
    assert cache_from_url("file:///var/cache/buddy")["LOCATION"] == "/var/cache/buddy"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("mongodb://nope")


def test_booleans_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert env_bool("SOME_FLAG") is True
    monkeypatch.setenv("SOME_FLAG", "0")
    assert env_bool("SOME_FLAG", True) is False
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.slow
def test_database_url_switches_to_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage(
        "shell",
        "-c",
        code,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "buddysite.settings.dev",
            "DATABASE_URL": "postgres://buddy:secret@db.internal:5432/buddy",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


@pytest.mark.slow
def test_port_moves_every_absolute_link_when_base_url_is_not_set(tmp_path):
    """`PORT=9000 make run`: the API's html_url and email links must point at port 9000."""
    env = {"DJANGO_SETTINGS_MODULE": "buddysite.settings.dev", "PORT": "9000", "BASE_URL": ""}
    script = (
        "from django.conf import settings;"
        "print(settings.WAGTAILADMIN_BASE_URL, settings.WAGTAILAPI_BASE_URL)"
    )
    result = manage("shell", "-c", script, env_overrides=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["http://127.0.0.1:9000"] * 2
    given = {**env, "BASE_URL": "https://buddy.example.be"}
    result = manage("shell", "-c", script, env_overrides=given, tmp_path=tmp_path)
    assert result.stdout.splitlines()[-1].split() == ["https://buddy.example.be"] * 2


@pytest.mark.django_db
def test_the_demo_site_answers_on_the_base_url_port(demo, settings, client):
    """load_demo puts the port of BASE_URL on the Wagtail Site, so html_url carries it."""
    from buddysite.demo.loader import ensure_home, ensure_locales

    settings.WAGTAILADMIN_BASE_URL = settings.WAGTAILAPI_BASE_URL = "http://127.0.0.1:9000"
    ensure_home(ensure_locales())
    from django.core.cache import cache

    cache.clear()
    response = client.get("/api/v2/pages/", {"type": "buddypages.ProgrammePage", "locale": "nl"})
    urls = [item["meta"]["html_url"] for item in response.json()["items"]]
    assert urls
    assert all(url.startswith("http://127.0.0.1:9000/") for url in urls), urls
