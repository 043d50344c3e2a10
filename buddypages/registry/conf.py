"""The registry's settings: one namespaced dict, ``BUDDY_REGISTRY``, read on every use
(so tests that change settings see the change)."""

from django.conf import settings

DEFAULTS = {
    # Anonymise a participant this many days after their trajectory ended.
    "RETENTION_DAYS": 365,
    # Remove sign-ups that never got past "signed up" after this many days.
    "ABANDONED_DAYS": 180,
    # Remove a newsletter-only reader who did not confirm their address after this many days
    # (counted from their last request; the link in the email is valid as long).
    "UNCONFIRMED_READER_DAYS": 30,
    # A form sent back faster than this (seconds) was filled in by a robot.
    "MIN_FILL_SECONDS": 3,
    # At most this many sign-ups per client address per window; 0 turns it off.
    "RATE_LIMIT": 10,
    "RATE_LIMIT_WINDOW_SECONDS": 3600,
    # How often a failing confirmation email is tried before it is given up.
    "EMAIL_ATTEMPTS": 5,
    # First retry after this many seconds; each next one waits twice as long.
    "EMAIL_RETRY_SECONDS": 60,
}


def registry_setting(name: str):
    return {**DEFAULTS, **getattr(settings, "BUDDY_REGISTRY", {})}[name]
