"""Reading settings from the environment, with the embedded defaults."""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def development_secret_key(path: Path) -> str:
    """Read the development secret from ``path``, creating it on first use.

    The file is untracked (``var/`` is in ``.gitignore``), so every checkout
    gets its own secret and none is ever committed.
    """
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if not key:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n")
        path.chmod(0o600)
    return key


def sqlite_database(path: Path) -> dict:
    """SQLite tuned so concurrent form posts never fail with "database is locked".

    WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
    the start of a transaction, so a read-then-write transaction waits for the
    lock (busy timeout) instead of failing when it tries to upgrade.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Opening a connection parses the whole schema (about 0.8 ms): keep it.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        },
    }


CACHE_SCHEMES = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "pymemcache": "django.core.cache.backends.memcached.PyMemcacheCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_from_url(url: str) -> dict:
    """``CACHE_URL`` -> a ``CACHES["default"]`` entry.

    ``locmem://``, ``file:///var/cache/buddy``, ``redis://host:6379/0``,
    ``memcached://host:11211``, ``dummy://``. A ``timeout`` query parameter
    sets the default timeout in seconds.
    """
    parts = urlsplit(url)
    try:
        backend = CACHE_SCHEMES[parts.scheme]
    except KeyError:
        known = ", ".join(sorted(CACHE_SCHEMES))
        raise ImproperlyConfigured(
            f"CACHE_URL scheme {parts.scheme!r} is not supported; use one of: {known}."
        ) from None
    config: dict = {"BACKEND": backend}
    if parts.scheme == "file":
        config["LOCATION"] = parts.path
    elif parts.scheme in {"redis", "rediss"}:
        config["LOCATION"] = url.split("?", 1)[0]
    elif parts.scheme in {"memcached", "pymemcache"}:
        config["LOCATION"] = parts.netloc
    elif parts.scheme == "locmem":
        config["LOCATION"] = parts.netloc or "buddysite"
    query = parse_qs(parts.query)
    if "timeout" in query:
        config["TIMEOUT"] = int(query["timeout"][0])
    config.setdefault("OPTIONS", {})
    if parts.scheme in {"locmem", "file"}:
        config["OPTIONS"]["MAX_ENTRIES"] = 5000
    return config
