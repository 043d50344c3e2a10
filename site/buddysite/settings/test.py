"""Tests: fast hashing, tasks run at once, a file database so --reuse-db helps."""

import json
import os

from .base import *  # noqa: F403
from .base import BUDDYPAGES, DATABASES, VAR_DIR

SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; base uses Argon2
# Tests log in with force_login; the two-step login tests switch it on themselves.
BUDDYPAGES["REQUIRE_TWO_FACTOR"] = False
TASKS = {
    "default": {
        # Worker processes started by the crash tests use the database queue.
        "BACKEND": os.environ.get(
            "TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# Tests want a task done when the call that queues it returns, so the warnings that the
# immediate backend schedules no nightly job and refuses sends for later are expected here.
SILENCED_SYSTEM_CHECKS = ["buddypages.W001", "newsletter.W001"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests roll the content generation back between them: never keep a read across tests.
PAGE_CACHE_GENERATION_SECONDS = 0
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "anymail.backends.test.EmailBackend")
# The browser tests run in a session of their own on a database of their own
# (TEST_DB_SUFFIX=_e2e): they commit the demo content once instead of flushing.
TEST_DB_SUFFIX = os.environ.get("TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test{TEST_DB_SUFFIX}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{TEST_DB_SUFFIX}"}
# A worker process started by a test works on that test's database.
if os.environ.get("TEST_WORKER_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DB_NAME"]
if os.environ.get("TEST_NEWSLETTER_SETTINGS"):
    BUDDY_NEWSLETTER = json.loads(os.environ["TEST_NEWSLETTER_SETTINGS"])
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = VAR_DIR / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
