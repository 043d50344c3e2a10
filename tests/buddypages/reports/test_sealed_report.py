"""The yearly report, sealed per municipality: a regional user granted only the figures of
site A reads A's report (page, PDF, XLSX) and no other site's, and opens no registry screen;
a coordinator granted A's registry reads A's report only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from buddypages.pages.access import SiteGrant
from buddypages.registry.models import Participant
from tests.buddypages.reports.conftest import municipality, person

pytestmark = pytest.mark.django_db

URL = "/admin/yearly-report/"
A_NAME, B_NAME = "Quirinius", "Ysoldeke"


@pytest.fixture
def towns(db):
    a = municipality("Appelstad")
    b = municipality("Bramdorp")
    for _ in range(6):
        person(a[1], signed_up=date(2019, 3, 1))
    person(a[1], first_name=A_NAME, signed_up=date(2019, 3, 1))
    for _ in range(9):
        person(b[1], first_name=B_NAME, signed_up=date(2019, 3, 1))
    return a, b


def user_with(*grants, permissions=("access_admin",), username="regional"):
    user = get_user_model().objects.create_user(username, f"{username}@example.org")
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    for site, level in grants:
        SiteGrant.objects.create(site=site, user=user, level=level)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def regional(towns):
    """Only the figures of site A, and no permission on the registry at all."""
    return user_with((towns[0][0], "figures"))


def test_a_regional_user_reads_the_report_of_the_granted_site(towns, regional):
    (site_a, _), (site_b, _) = towns

    response = regional.get(URL, {"sites": site_a.pk, "year": 2019})

    assert response.status_code == 200
    assert response.context["report"].figure("newcomers_signed_up") == 7
    assert list(response.context["form"].fields["sites"].queryset) == [site_a]
    assert "Bramdorp" not in response.content.decode()
    for kind in ("pdf", "xlsx"):
        download = regional.get(URL, {"sites": site_a.pk, "year": 2019, "format": kind})
        assert download.status_code == 200, kind
    # The first visit opens on the granted site.
    assert list(regional.get(URL).context["report"].site_names) == ["Appelstad"]


def test_a_regional_user_gets_no_other_site_s_figures(towns, regional):
    (site_a, _), (site_b, _) = towns
    for query in (
        {"sites": site_b.pk, "year": 2019},
        {"sites": [site_a.pk, site_b.pk], "year": 2019},
        {"sites": site_b.pk, "year": 2019, "format": "xlsx"},
        {"sites": site_b.pk, "year": 2019, "format": "pdf"},
    ):
        response = regional.get(URL, query)
        assert response.status_code == 404, query
        assert b"Bramdorp" not in response.content
        assert response.get("Content-Disposition") is None


def test_a_regional_user_opens_no_registry_screen(towns, regional):
    pk = Participant.objects.get(first_name=A_NAME).pk
    regional.raise_request_exception = False
    for url in (
        "/admin/participants/",
        "/admin/participants/?export=csv",
        f"/admin/participants/inspect/{pk}/",
        f"/admin/participants/intake/{pk}/",
        f"/admin/participants/export/{pk}/",
        "/admin/registry_audit/",
        "/admin/insured_volunteers/",
        "/admin/volunteering/",
        "/admin/trainings/",
        "/admin/activity_signups/",
        "/admin/newsletter_sends/",
        "/admin/newsletter_suppressions/",
        "/admin/matching/",
        "/admin/duos/",
    ):
        response = regional.get(url)
        assert response.status_code in (302, 403, 404), url
        assert A_NAME.encode() not in response.content, url
    menu = regional.get("/admin/").content.decode()
    assert URL in menu
    assert "/admin/participants/" not in menu


def test_a_coordinator_reads_only_their_own_site_s_report(towns):
    (site_a, _), (site_b, _) = towns
    coordinator = user_with(
        (site_a, "registry"),
        permissions=("access_admin", "view_participant"),
        username="coordinator-a",
    )

    mine = coordinator.get(URL, {"sites": site_a.pk, "year": 2019})
    theirs = coordinator.get(URL, {"sites": site_b.pk, "year": 2019, "format": "xlsx"})

    assert mine.context["report"].figure("newcomers_signed_up") == 7
    assert "Bramdorp" not in mine.content.decode()
    assert theirs.status_code == 404


def test_without_figures_or_the_registry_there_is_no_report(towns):
    nobody = user_with(username="nobody")
    response = nobody.get(URL, {"year": 2019, "format": "xlsx"})
    assert response.status_code == 302  # Wagtail's answer to PermissionDenied: the dashboard
    assert response.get("Content-Disposition") is None
