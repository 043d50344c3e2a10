"""Production. Refuses to start without a real secret key and allowed hosts.

Passes ``manage.py check --deploy --fail-level WARNING`` when SECRET_KEY,
ALLOWED_HOSTS and BASE_URL are given (``tests/buddysite/test_settings.py``).
"""

import os

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list

DEBUG = False


def refuse_to_start(message: str) -> None:
    """Stop with a plain message.

    Not ImproperlyConfigured: ``manage.py`` swallows that while loading
    settings and may go on with half-loaded ones.
    """
    raise SystemExit(f"Configuration error: {message}")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    refuse_to_start(
        "Set SECRET_KEY to a long random value (at least 50 characters), for example: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    refuse_to_start("Set ALLOWED_HOSTS to the site's host names, comma-separated.")

if not os.environ.get("BASE_URL", "").startswith("https://"):
    refuse_to_start(
        "Set BASE_URL to the site's public https address, e.g. https://buddy.example.be: "
        "emails, the admin and the API build their links from it."
    )

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Two-step login for registry accounts, whatever the environment says.
BUDDYPAGES["REQUIRE_TWO_FACTOR"] = True  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
