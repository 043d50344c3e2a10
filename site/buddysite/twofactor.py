"""Two-step login for the admin: an authenticator app (TOTP) plus recovery codes.

Accounts that can see the participant registry must use it (coordinators,
superusers); everybody else may, or must when TWO_FACTOR_FOR_EVERYONE is on.
Built on django-otp: its devices throttle wrong codes and its middleware marks
a session as verified.
"""

from __future__ import annotations

from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from buddypages.conf import buddypages_setting

PREFIX = "/admin/2fa/"
EXEMPT = ("/admin/login/", "/admin/logout/", PREFIX, "/admin/jsi18n/", "/admin/password_reset/")
RECOVERY_CODES = 10


def two_factor_required(user) -> bool:
    if not buddypages_setting("REQUIRE_TWO_FACTOR") or not user.is_authenticated:
        return False
    return settings.TWO_FACTOR_FOR_EVERYONE or user.has_perm("buddypages.view_participant")


class TwoFactorMiddleware:
    """Sends an admin user who must use two-step login, and has not in this session,
    to set it up or to enter a code before anything else in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            path.startswith("/admin/")
            and not path.startswith(EXEMPT)
            and user is not None
            and two_factor_required(user)
            and not user.is_verified()
        ):
            step = "verify" if user_has_device(user, confirmed=True) else "setup"
            return redirect(f"{PREFIX}{step}/?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/admin/"
    return target


def _recovery_codes(user) -> list[str]:
    """New recovery codes (the old ones stop working): shown once, kept only hashed-by-use."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@login_required
def setup_view(request):
    """Link an authenticator app: scan the code, type the six digits, keep the recovery codes."""
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return TemplateResponse(
                request,
                "buddysite/twofactor/recovery_codes.html",
                {
                    "codes": _recovery_codes(user),
                    "next": _next(request),
                    "page_title": _("Recovery codes"),
                },
            )
        form.add_error("code", _("This code is not right. Type the six digits your app shows now."))
    qr = segno.make(device.config_url, error="m")
    return TemplateResponse(
        request,
        "buddysite/twofactor/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, dark="#000000", light="#ffffff"),
            "secret": _grouped(device.bin_key),
            "next": _next(request),
            "page_title": _("Set up two-step login"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _grouped(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@login_required
def verify_view(request):
    """Type the code from the app, or one recovery code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error(
            "code",
            _("This code is not right, or you tried too often. Wait a moment and try again."),
        )
    return TemplateResponse(
        request,
        "buddysite/twofactor/verify.html",
        {"form": form, "next": _next(request), "page_title": _("Two-step login")},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def manage_view(request):
    """Your two-step login: new recovery codes, or link another phone."""
    user = request.user
    codes = None
    if request.method == "POST" and user.is_verified():
        if request.POST.get("action") == "recovery_codes":
            codes = _recovery_codes(user)
        elif request.POST.get("action") == "new_phone":
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            return redirect(f"{PREFIX}setup/")
    return TemplateResponse(
        request,
        "buddysite/twofactor/manage.html",
        {
            "enabled": user_has_device(user, confirmed=True),
            "verified": user.is_verified(),
            "required": two_factor_required(user),
            "codes": codes,
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "page_title": _("Two-step login"),
        },
    )
