"""Hardening: two-step login, lockout, CSP and headers, sessions, uploads, Argon2."""

import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from buddypages.core.clients import client_address
from buddysite.security import SESSION_STARTED
from tests.buddysite.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-tests-123"  # noqa: S105


@pytest.fixture
def accounts(demo):
    users = get_user_model().objects.filter(username__in=["coordinator", "editor"])
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    return {user.username: user for user in users}


@pytest.fixture
def two_factor(settings):
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "REQUIRE_TWO_FACTOR": True}


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def code_for(device, later: int = 0) -> str:
    """The code the app shows (``later`` seconds from now: a code is good once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():0{device.digits}d}"


def unthrottle(device) -> None:
    """A wrong code makes django-otp wait before the next try; tests do not wait."""
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=device.user).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
    device.refresh_from_db()


# --- Two-step login ------------------------------------------------------------------


def test_a_coordinator_without_a_second_factor_cannot_reach_the_registry(accounts, two_factor):
    client = Client()
    client.force_login(accounts["coordinator"])
    for url in ("/admin/participants/", "/admin/", "/admin/duos/", "/admin/pages/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/2fa/setup/"), url
    assert b"Testpersoon" not in client.get("/admin/participants/?export=csv").content


def test_two_factor_is_optional_for_editors_unless_required_for_everyone(
    accounts, two_factor, settings
):
    client = Client()
    client.force_login(accounts["editor"])
    assert client.get("/admin/").status_code == 200
    settings.TWO_FACTOR_FOR_EVERYONE = True
    assert client.get("/admin/").status_code == 302


def test_setup_then_login_with_the_app_then_with_a_recovery_code(accounts, two_factor):
    client = Client()
    assert log_in(client, "coordinator").status_code == 302
    setup = client.get("/admin/2fa/setup/")
    assert setup.status_code == 200
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=accounts["coordinator"], confirmed=False)
    assert client.post("/admin/2fa/setup/", {"code": "000000"}).status_code == 400
    unthrottle(device)
    done = client.post("/admin/2fa/setup/", {"code": code_for(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/admin/participants/").status_code == 200

    # A new login needs the code again.
    fresh = Client()
    log_in(fresh, "coordinator")
    blocked = fresh.get("/admin/participants/")
    assert blocked["Location"].startswith("/admin/2fa/verify/")
    wrong = fresh.post("/admin/2fa/verify/", {"code": "123456", "next": "/admin/participants/"})
    assert wrong.status_code == 400
    unthrottle(device)
    ok = fresh.post(
        "/admin/2fa/verify/", {"code": code_for(device, later=30), "next": "/admin/participants/"}
    )
    assert ok["Location"] == "/admin/participants/"
    assert fresh.get("/admin/participants/").status_code == 200

    # Lost phone: a recovery code works, once.
    for attempt in range(2):
        other = Client()
        log_in(other, "coordinator")
        response = other.post("/admin/2fa/verify/", {"code": codes[0], "next": "/admin/"})
        assert (response.status_code == 302) is (attempt == 0)
    assert StaticToken.objects.filter(device__user=accounts["coordinator"]).count() == 9


def test_the_verify_page_refuses_to_send_people_elsewhere(accounts, two_factor):
    client = Client()
    log_in(client, "coordinator")
    client.get("/admin/2fa/setup/")
    device = TOTPDevice.objects.get(user=accounts["coordinator"])
    response = client.post(
        "/admin/2fa/setup/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.context["next"] == "/admin/"


# --- Login throttling ------------------------------------------------------------------


def test_repeated_failures_lock_out_that_user_from_that_address_only(accounts):
    here = {"REMOTE_ADDR": "10.1.1.1"}
    for _attempt in range(4):
        assert log_in(Client(), "coordinator", "wrong-password", **here).status_code == 200
    assert log_in(Client(), "coordinator", "wrong-password", **here).status_code == 429
    locked = log_in(Client(), "coordinator", **here)  # even with the right password
    assert locked.status_code in (403, 429)
    with translation.override("nl"):
        assert translation.gettext("Too many attempts") in locked.content.decode()
    assert log_in(Client(), "editor", **here).status_code == 302  # other users are not locked
    assert log_in(Client(), "coordinator", REMOTE_ADDR="10.2.2.2").status_code == 302

    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))  # cool-off
    assert log_in(Client(), "coordinator", **here).status_code == 302


def test_the_client_address_is_read_behind_a_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_address(request) == "10.0.0.2"  # no proxy configured: the connection
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "TRUSTED_PROXY_COUNT": 1}
    assert client_address(request) == "1.2.3.4"  # 6.6.6.6 was written by the client
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "TRUSTED_PROXY_COUNT": 2}
    assert client_address(request) == "6.6.6.6"


# --- Headers ------------------------------------------------------------------------------


def test_csp_and_permissions_policy_on_pages_and_admin(accounts, client):
    page = client.get("/nl/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "camera=()" in page["Permissions-Policy"]
    admin = Client()
    admin.force_login(accounts["editor"])
    admin_policy = admin.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self'" in admin_policy
    assert "'unsafe-eval'" not in admin_policy


# --- Sessions -----------------------------------------------------------------------------


def test_an_idle_session_expires_and_activity_keeps_it_alive(accounts, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    log_in(client, "editor")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/admin/").status_code == 200
    moved = Session.objects.get(session_key=key).expire_date
    assert moved > timezone.now() + timedelta(minutes=25)  # the request moved it on
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_session_ends_after_its_absolute_lifetime(accounts, settings):
    client = Client()
    log_in(client, "editor")
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - (settings.SESSION_MAX_HOURS * 3600 + 60)
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Uploads and documents -------------------------------------------------------------


def test_an_oversized_public_post_is_refused_with_a_clear_page(demo):
    from buddypages.models import RegistrationPage

    page = RegistrationPage.objects.get(locale__language_code="fr", role="newcomer")
    response = Client().post(page.url, {"hopes": "x" * 100_000})
    assert response.status_code == 413
    body = response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("What you sent is too large. Shorten it and try again.") in body


def test_svg_images_are_refused(accounts):
    from wagtail.images.models import Image

    client = Client()
    client.force_login(accounts["editor"])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    before = Image.objects.count()
    response = client.post(
        "/admin/images/add/",
        {"title": "evil", "file": ContentFile(svg, name="evil.svg"), "collection": 1},
    )
    assert response.status_code == 200  # the form again, with an error
    assert Image.objects.count() == before


def test_documents_are_served_as_downloads(accounts):
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Folder", file=ContentFile(b"%PDF-1.4 test", "folder.pdf")
    )
    response = Client().get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    response.close()


# --- Passwords ------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(settings):
    from buddysite.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # tests use a fast one; this is the real
    user = get_user_model()(username="argon")
    user.set_password("secret words")
    assert user.password.startswith("argon2$")
    assert user.check_password("secret words")


@pytest.mark.slow
def test_production_always_requires_two_step_login(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.BUDDYPAGES['REQUIRE_TWO_FACTOR'], "
        "settings.PASSWORD_HASHERS[0], settings.SESSION_COOKIE_SECURE)",
        env_overrides={**PRODUCTION, "TWO_FACTOR_REQUIRED": "false"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "True",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
    ]


def test_oversized_images_are_refused(accounts, settings):
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    buffer = io.BytesIO()
    PILImage.effect_noise((200, 200), 80).convert("RGB").save(buffer, "PNG")
    assert buffer.tell() > 2_000
    client = Client()
    client.force_login(accounts["editor"])
    before = Image.objects.count()
    response = client.post(
        "/admin/images/add/",
        {"title": "big", "file": ContentFile(buffer.getvalue(), name="big.png"), "collection": 1},
    )
    assert response.status_code == 200
    assert Image.objects.count() == before
