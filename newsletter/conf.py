"""The newsletter's settings: one namespaced dict, ``BUDDY_NEWSLETTER``, read on every use."""

from urllib.parse import urlsplit

from django.conf import settings

from buddypages.core.mail import site_root_url


def newsletter_setting(name: str):
    defaults = {
        # The List-Id header: "<name> <id>" (RFC 2919). Unset: one list per site (list_id).
        "LIST_ID": _site_list_id(None),
        "FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        # Messages per second for one send, shared by its parallel chains; 0: no limit.
        "RATE_PER_SECOND": 0,
        # How many task chains work on one send at once (one per worker you run).
        "PARALLEL": 2,
        # Rows a worker claims at a time, and how long its claim (lease) lasts.
        "BATCH_SIZE": 20,
        "LEASE_SECONDS": 120,
        # Temporary errors: tries per address, first wait (doubles each time).
        "MAX_ATTEMPTS": 5,
        "RETRY_SECONDS": 60,
        # Open and click tracking by the email provider (off: privacy first).
        "TRACK_OPENS": False,
        "TRACK_CLICKS": False,
    }
    return {**defaults, **getattr(settings, "BUDDY_NEWSLETTER", {})}[name]


def list_id(site_id: int | None) -> str:
    """The List-Id of the newsletter of a site: ``LIST_ID`` when set, else one on the site's
    host, so that each municipality's newsletter is a list of its own for mail programs."""
    return getattr(settings, "BUDDY_NEWSLETTER", {}).get("LIST_ID") or _site_list_id(site_id)


def _site_list_id(site_id: int | None) -> str:
    host = urlsplit(site_root_url(site_id)).hostname or "localhost"
    return f"{settings.WAGTAIL_SITE_NAME} <newsletter.{host}>"
