"""The newsletter's settings: one namespaced dict, ``BUDDY_NEWSLETTER``, read on every use."""

from urllib.parse import urlsplit

from django.conf import settings


def newsletter_setting(name: str):
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    defaults = {
        # The List-Id header: "<name> <id>" (RFC 2919).
        "LIST_ID": f"{settings.WAGTAIL_SITE_NAME} <newsletter.{host}>",
        "FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
    }
    return {**defaults, **getattr(settings, "BUDDY_NEWSLETTER", {})}[name]
