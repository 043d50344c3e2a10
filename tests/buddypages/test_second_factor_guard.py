"""The plugin guards its personal-data screens by itself, whatever the host's middleware."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

pytestmark = pytest.mark.django_db

COORDINATOR_SCREENS = [
    "/admin/participants/",
    "/admin/matching/",
    "/admin/duos/",
    "/admin/activity_signups/",
    "/admin/newsletter_sends/",
    "/admin/newsletter_suppressions/",
]
PERSONAL = [*COORDINATOR_SCREENS, "/admin/registry_audit/"]


@pytest.fixture
def bare_host(settings):
    """A host with django-otp installed but without the example host's redirecting middleware."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.startswith("buddysite.twofactor")
    ]
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "REQUIRE_TWO_FACTOR": True}
    return settings


def coordinator(*, verified: bool) -> Client:
    user = get_user_model().objects.get(username="coordinator")
    client = Client()
    client.force_login(user)
    if verified:
        device = StaticDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def test_personal_data_needs_a_verified_second_factor(demo, bare_host):
    client = coordinator(verified=False)
    for url in PERSONAL:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/"
        assert b"Amina" not in response.content
    dashboard = client.get("/admin/participants/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "log in with your second factor first" in dashboard.content.decode()
    # The home page (counts only) and page editing stay open.
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_a_host_may_send_people_to_its_own_verify_page(demo, bare_host):
    bare_host.BUDDYPAGES = {**bare_host.BUDDYPAGES, "TWO_FACTOR_URL": "/account/verify/"}
    response = coordinator(verified=False).get("/admin/duos/")
    assert response.status_code == 302
    assert response["Location"] == "/account/verify/?next=/admin/duos/"


def test_a_verified_session_sees_the_screens(demo, bare_host):
    client = coordinator(verified=True)
    for url in COORDINATOR_SCREENS:
        assert client.get(url).status_code == 200, url


def test_the_setting_can_turn_the_guard_off(demo, bare_host):
    bare_host.BUDDYPAGES = {**bare_host.BUDDYPAGES, "REQUIRE_TWO_FACTOR": False}
    client = coordinator(verified=False)
    for url in COORDINATOR_SCREENS:
        assert client.get(url).status_code == 200, url
