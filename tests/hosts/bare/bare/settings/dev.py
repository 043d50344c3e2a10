# ruff: noqa: F403, F405, SIM105  (as `wagtail start` wrote it)
from .base import *

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "django-insecure--@^k#$wc@h1jse!0xx&5o3eg&n*)@uden^a25493-osz*p#cp!"

# SECURITY WARNING: define the correct hosts in production!
ALLOWED_HOSTS = ["*"]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


try:
    from .local import *
except ImportError:
    pass
