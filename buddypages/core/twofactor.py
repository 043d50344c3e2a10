"""Personal data behind a second factor, in whatever host the plugin is installed.

The registry, matching, duo and newsletter-send screens show personal data. When the host
has django-otp installed and ``BUDDYPAGES["REQUIRE_TWO_FACTOR"]`` is on (the default), their
views answer only to a session verified with a second factor. A host may send people to its
own page where they verify (``BUDDYPAGES["TWO_FACTOR_URL"]``); without one they are sent to
the admin's dashboard with a message that says why. The example host's middleware redirects
earlier, to its own set-up and verify pages; this guard is what travels with the plugin.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _

from buddypages.conf import buddypages_setting


def second_factor_missing(request) -> bool:
    """True when this request must not see personal data until its session is verified."""
    if not buddypages_setting("REQUIRE_TWO_FACTOR") or not apps.is_installed("django_otp"):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False  # Wagtail's own login check answers these
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    return not (callable(is_verified) and is_verified())


def require_second_factor(view):
    @wraps(view)
    def guarded_view(request, *args, **kwargs):
        if second_factor_missing(request):
            url = buddypages_setting("TWO_FACTOR_URL")
            if url:
                return redirect(f"{url}?next={quote(request.get_full_path())}")
            # Wagtail's way in the admin: back to the dashboard, with the reason.
            messages.error(
                request,
                _("This screen shows personal data: log in with your second factor first."),
            )
            return redirect("wagtailadmin_home")
        return view(request, *args, **kwargs)

    return guarded_view


def guarded(patterns: list) -> list:
    """The same URL patterns, every view behind :func:`require_second_factor`."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = require_second_factor(pattern.callback)
        elif isinstance(pattern, URLResolver):
            guarded(pattern.url_patterns)
    return patterns


class SecondFactorViewSetMixin:
    """For a Wagtail viewset whose screens show personal data: every view is guarded."""

    def get_urlpatterns(self):
        return guarded(super().get_urlpatterns())
