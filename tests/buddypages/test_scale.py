"""A whole region on one installation: one municipality's coordinator pays the same number of
queries for their participant list, duo list, dashboard and yearly report whether the
installation carries 2 municipalities or 64."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Site

from buddypages.duos.models import Duo
from buddypages.pages.access import SiteGrant
from buddypages.registry.models import Participant
from buddysite.demo import sites as demo_sites

pytestmark = pytest.mark.django_db

SCREENS = ["participant list", "participant history", "duo list", "dashboard", "yearly report"]


def _addresses(site: Site) -> dict[str, str]:
    year = timezone.localdate().year
    someone = Participant.objects.filter(site=site).order_by("pk").first()
    return {
        "participant list": reverse("participants:index"),
        "participant history": reverse("participants:history", args=[someone.pk]),
        "duo list": reverse("duos:index"),
        "dashboard": reverse("wagtailadmin_home"),
        "yearly report": f"{reverse('yearly_report')}?sites={site.pk}&year={year}",
    }


def _queries(site: Site) -> dict[str, int]:
    """The queries each screen costs the first municipality's coordinator (asked twice, the
    second counted: a first visit may fill caches)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    counts = {}
    for screen, url in _addresses(site).items():
        assert client.get(url).status_code == 200, screen
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, screen
        counts[screen] = len(queries)
    return counts


def test_one_sites_screens_cost_the_same_with_64_sites(demo):
    site = demo.site
    coordinator = get_user_model().objects.get(username="coordinator")
    SiteGrant.objects.create(site=site, user=coordinator, level=SiteGrant.Level.REGISTRY)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    demo_sites.ensure_region(locales, sites=1, participants=20)
    assert Site.objects.count() == 2
    with_two = _queries(site)

    region = demo_sites.ensure_region(locales, sites=63, participants=20)
    assert Site.objects.count() == 64
    # The other sites are full of people and duos, none of them the coordinator's.
    assert Participant.objects.filter(site__in=region).count() == 63 * 20
    assert Duo.objects.filter(site__in=region).count() == 63 * 2

    with_64 = _queries(site)

    assert with_64 == with_two
    assert set(with_64) == set(SCREENS)
