"""Settings shared by every environment.

Everything an operator may change comes from the environment (see the
configuration table in the README); the defaults are the embedded ones that
let ``make run`` work on a fresh machine with nothing but Python.
"""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from buddypages.core import languages

from .env import cache_from_url, env_bool, env_int, env_list, env_str, sqlite_database

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# ".localhost": localhost and every name under it (bosdonk.localhost), one site each.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [".localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The headless API (/api/v3/): the municipality's own website and app may sign people up
# from these origins (comma-separated, e.g. https://www.gemeente.be). Any origin may read.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/v3/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "if-none-match",
    "authorization",
)
CORS_EXPOSE_HEADERS = ("ETag", "Content-Language", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = 3600

INSTALLED_APPS = [
    "buddysite",
    "buddypages",
    "newsletter",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "anymail",
    "corsheaders",
    # Django Ninja (Wagtail's API v3): its interactive API docs from our own static files.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a cached anonymous page is answered before anything below runs (buddysite/cache.py).
    "buddysite.cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin answers for /api/v3/: reads from anywhere, writes from CORS_ALLOWED_ORIGINS.
    "corsheaders.middleware.CorsMiddleware",
    "buddysite.security.SecurityHeadersMiddleware",
    "buddysite.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "buddysite.security.PublicRequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, without the language redirect under /api/ (API clients get JSON).
    "buddysite.addresses.LocaleMiddleware",
    # No NUL or other control character in query parameters reaches a view.
    "buddypages.core.queries.QueryStringMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "buddysite.security.SessionLifetimeMiddleware",
    "buddysite.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Judges the view's own response for the page cache (the stack above blurs its Vary).
    "buddysite.cache.PageCacheGateMiddleware",
    "buddysite.cache.SiteLookupCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "buddysite.urls"
WSGI_APPLICATION = "buddysite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite file by default; DATABASE_URL (postgres://user:pass@host/db) for PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}
# Seconds an anonymous page view stays in the cache. Publishing, unpublishing,
# moving or deleting a page invalidates the cache at once whatever this is.
# 0 turns the page cache off (other caches stay on).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# A cache hit reads the content generation from the database at most this often per process:
# another process's publish shows there within this many seconds. 0: on every hit.
PAGE_CACHE_GENERATION_SECONDS = env_int("PAGE_CACHE_GENERATION_SECONDS", 1)
# Cache-Control of public pages: browsers keep them HTTP_CACHE_BROWSER_SECONDS (a publish cannot
# reach them), shared caches (Varnish, a CDN) HTTP_CACHE_SHARED_SECONDS (s-maxage; publishing
# purges a page's addresses, see FRONTEND_CACHE_URL). Personal responses: private, no-store.
HTTP_CACHE_BROWSER_SECONDS = env_int("HTTP_CACHE_BROWSER_SECONDS", 60)
HTTP_CACHE_SHARED_SECONDS = env_int("HTTP_CACHE_SHARED_SECONDS", 600)

# --- Front-end cache (Varnish, a CDN) ------------------------------------------------
# Publishing purges a page's addresses and the API's answers about it. FRONTEND_CACHE_URL: an
# HTTP cache that takes PURGE requests (Varnish, nginx), e.g. http://varnish:6081;
# CLOUDFLARE_BEARER_TOKEN and CLOUDFLARE_ZONE_ID: Cloudflare. Neither: nothing is purged.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_URL"),
    }
if env_str("CLOUDFLARE_BEARER_TOKEN") and env_str("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONE_ID"),
    }

# --- Background tasks -------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Email ----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "buddywerking@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
try:
    ANYMAIL = json.loads(env_str("ANYMAIL", "{}"))
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"ANYMAIL must be a JSON object: {error}") from None
if env_str("ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = env_str("ANYMAIL_WEBHOOK_SECRET")

# --- Passwords, logins, sessions --------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify, and are upgraded to Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock one username from one address after AXES_FAILURE_LIMIT failures, for the
# cool-off time; other users (and the same user from elsewhere) are not affected.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "buddysite/locked_out.html"
AXES_VERBOSE = False
# Behind a proxy, the client address is in X-Forwarded-For: set how many proxies
# (each adds one address) stand in front of the site. 0: use the connection's address.
AXES_CLIENT_IP_CALLABLE = "buddypages.core.clients.client_address"
# The plugin's own settings (buddypages/conf.py). Behind a proxy, the client address is in
# X-Forwarded-For: TRUSTED_PROXY_COUNT says how many proxies (each adds one address) stand in
# front of the site; 0: the connection's address. REQUIRE_TWO_FACTOR: see below.
BUDDYPAGES = {
    "TRUSTED_PROXY_COUNT": env_int("TRUSTED_PROXY_COUNT", 0),
    "REQUIRE_TWO_FACTOR": env_bool("TWO_FACTOR_REQUIRED", True),
    "DEMO_PASSWORD_FILE": VAR_DIR / "demo_password",
    # Editors preview drafts in the municipality's own front end (docs/headless.md); off unset.
    "HEADLESS_PREVIEW_URL": env_str("HEADLESS_PREVIEW_URL") or None,
    "HEADLESS_PREVIEW_SECONDS": env_int("HEADLESS_PREVIEW_SECONDS", 3600),
    # Sites that may show the widgets (docs/embedding.md), comma-separated origins.
    "EMBED_ALLOWED_ORIGINS": env_list("EMBED_ALLOWED_ORIGINS", []),
}

# Two-step login (TOTP app plus recovery codes): always for accounts that can see the
# participant registry (BUDDYPAGES["REQUIRE_TWO_FACTOR"]), in production whatever the
# environment says; for every admin account with TWO_FACTOR_FOR_EVERYONE.
TWO_FACTOR_FOR_EVERYONE = env_bool("TWO_FACTOR_FOR_EVERYONE", False)
OTP_TOTP_ISSUER = env_str("SITE_NAME", "Buddywerking")

# Idle timeout (every request moves it on) and an absolute lifetime for logged-in sessions.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------
LANGUAGE_CODE = languages.SOURCE_LANGUAGE
LANGUAGES = languages.languages_setting()
LANGUAGES_BIDI = languages.bidi_setting()
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
LANGUAGE_COOKIE_NAME = "buddy_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin only offers languages Wagtail's own interface is translated into.
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    (code, name)
    for code, name in LANGUAGES
    if code in {"nl", "en", "fr", "ar", "uk", "ru", "tr", "fa"}
]

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000  # the admin's page editor sends many fields
# Public forms (everything outside /admin/) are small: refuse bigger bodies early.
PUBLIC_REQUEST_MAX_BYTES = env_int("PUBLIC_REQUEST_MAX_BYTES", 64 * 1024)

# --- Wagtail --------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Buddywerking")
# Without BASE_URL, the address `make run` serves on (PORT included), so links in the API and
# in emails point where the site answers.
WAGTAILADMIN_BASE_URL = env_str("BASE_URL") or f"http://127.0.0.1:{env_int('PORT', 8000)}"
# Wagtail's database backend, taking any text a visitor types (see buddypages/core/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "buddypages.core.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# Documents always download (never open inside the site's origin).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# No SVG: it can carry scripts.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 10) * 1024 * 1024
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to other hosts from the admin
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# --- Security defaults (production tightens these further) ----------------------
# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts
# and images. The admin also gets inline style attributes, which Wagtail uses.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        # Videos editors embed in pages.
        "frame-src": [
            "'self'",
            *env_list(
                "CSP_FRAME_SOURCES",
                [
                    "https://www.youtube-nocookie.com",
                    "https://www.youtube.com",
                    "https://player.vimeo.com",
                ],
            ),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Error reports never show POST data or local variables (personal data).
DEFAULT_EXCEPTION_REPORTER_FILTER = "buddysite.errors.PrivateExceptionReporterFilter"

# --- Participant registry ----------------------------------------------------------
# See buddypages/registry/conf.py for what each means.
BUDDY_REGISTRY = {
    "RETENTION_DAYS": env_int("REGISTRY_RETENTION_DAYS", 365),
    "ABANDONED_DAYS": env_int("REGISTRY_ABANDONED_DAYS", 180),
    "UNCONFIRMED_READER_DAYS": env_int("REGISTRY_UNCONFIRMED_READER_DAYS", 30),
    "MIN_FILL_SECONDS": env_int("REGISTRY_MIN_FILL_SECONDS", 3),
    "RATE_LIMIT": env_int("REGISTRY_RATE_LIMIT", 10),
    "RATE_LIMIT_WINDOW_SECONDS": env_int("REGISTRY_RATE_LIMIT_WINDOW_SECONDS", 3600),
    "EMAIL_ATTEMPTS": env_int("REGISTRY_EMAIL_ATTEMPTS", 5),
}

# --- Newsletter --------------------------------------------------------------------
# See newsletter/conf.py. Empty values fall back to the defaults there.
BUDDY_NEWSLETTER = {
    key: value
    for key, value in {
        "LIST_ID": env_str("NEWSLETTER_LIST_ID"),
        "FROM_EMAIL": env_str("NEWSLETTER_FROM_EMAIL"),
    }.items()
    if value
}
BUDDY_NEWSLETTER.update(
    RATE_PER_SECOND=env_int("NEWSLETTER_RATE_PER_SECOND", 0),
    PARALLEL=env_int("NEWSLETTER_PARALLEL", 2),
    TRACK_OPENS=env_bool("NEWSLETTER_TRACK_OPENS", False),
    TRACK_CLICKS=env_bool("NEWSLETTER_TRACK_CLICKS", False),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools says at INFO what it drops from every font a poster embeds (~30 lines).
        "fontTools": {"level": "WARNING"},
    },
}
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "buddysite/password_required.html"  # noqa: S105 (a template)
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars from another host (privacy, CSP)
