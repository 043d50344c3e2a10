"""Security middleware: headers, the Content-Security-Policy per area, request size,
session lifetime, and the one place that reads the client's address."""

from __future__ import annotations

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"
SESSION_STARTED = "buddysite_session_started"


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response (Django's SecurityMiddleware does the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's policy everywhere; Wagtail's admin also needs inline style attributes."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and not report_only:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", []), "'unsafe-inline'"]
            update["img-src"] = [*update.get("img-src", []), "blob:"]
            parts.update = update
        return parts


class PublicRequestSizeMiddleware:
    """Public forms are small: refuse bodies over PUBLIC_REQUEST_MAX_BYTES outside the admin,
    with a page in the visitor's language instead of reading them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not request.path_info.startswith(
            (ADMIN_PREFIX, "/anymail/")
        ):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.PUBLIC_REQUEST_MAX_BYTES:
                return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request):
        from django.utils import translation

        from buddypages.conf import buddypages_setting

        if request.path_info.startswith(buddypages_setting("API_PREFIX")):
            # The API answers in JSON, errors included (problem details).
            from buddypages.api.v3.errors import problem

            with translation.override(translation.get_language_from_request(request)):
                return problem(413, _("The request is too large."))
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(
                "400.html",
                {"message": _("What you sent is too large. Shorten it and try again.")},
                request=request,
            )
        return HttpResponse(body, status=413)


class SessionLifetimeMiddleware:
    """Log out a session SESSION_MAX_HOURS after login, however active it is.

    (The idle timeout is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = time.time()
            elif time.time() - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                if request.path_info.startswith(ADMIN_PREFIX):
                    return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        return self.get_response(request)
