"""The seal around each municipality's registry: who sees which site's people."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from buddypages.calendar.models import ActivitySignup
from buddypages.duos.models import Duo
from buddypages.pages.access import (
    SiteGrant,
    forget_grants,
    registry_site_ids,
    report_site_ids,
    require_site,
    seal,
    visible_sites,
)
from buddypages.pages.municipality import MunicipalitySettings
from buddypages.registry import data_protection
from buddypages.registry.models import Participant, RegistryAuditEvent
from newsletter.audiences import recipients_for
from tests.buddypages import factories
from tests.buddypages.reports.conftest import municipality, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    """Two municipalities with one newcomer each, whose names are their own."""
    Site.objects.exclude(pk__in=[]).update(is_default_site=False)
    aalter, aalter_programme = municipality("Aalter")
    bree, bree_programme = municipality("Bree")
    return {
        "aalter": (aalter, person(aalter_programme, first_name="Amira", last_name="Aalterse")),
        "bree": (bree, person(bree_programme, first_name="Bohdan", last_name="Breeënaar")),
    }


def user(name: str, *, superuser: bool = False, group: Group | None = None):
    account = get_user_model().objects.create_user(
        username=name, password="x", is_superuser=superuser, is_staff=True
    )
    if group is not None:
        account.groups.add(group)
    return account


def participant_coordinator(site, name: str):
    """A coordinator of ``site`` with the participant permissions, as a municipality gives them."""
    account = user(name)
    account.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="buddypages", codename__endswith="_participant"
        ),
        Permission.objects.get(codename="access_admin"),
    )
    SiteGrant.objects.create(site=site, user=account)
    return account


def test_a_person_takes_their_programme_s_site_and_a_duo_its_newcomer_s(towns):
    aalter, amira = towns["aalter"]
    assert amira.site == aalter
    volunteer = person(amira.programme, role="volunteer", first_name="Vera")
    duo = Duo.objects.create(
        programme=amira.programme,
        programme_key=amira.programme_key,
        newcomer=amira,
        volunteer=volunteer,
        start_date=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180),
        feedback_due=timezone.localdate() + timedelta(days=90),
    )
    assert duo.site == aalter


def test_a_coordinator_sees_the_sites_granted_to_them_or_their_group(towns):
    aalter, amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    alone = user("alone")
    SiteGrant.objects.create(site=aalter, user=alone)
    team = Group.objects.create(name="Coordinators Bree")
    member = user("member", group=team)
    SiteGrant.objects.create(site=bree, group=team)

    assert list(seal(Participant.objects.all(), alone)) == [amira]
    assert list(seal(Participant.objects.all(), member)) == [bohdan]
    assert require_site(alone, amira) is amira
    with pytest.raises(Http404):
        require_site(alone, bohdan)
    assert [site.site_name for site in visible_sites(member)] == ["Bree"]


def test_figures_only_opens_the_report_and_never_a_person(towns):
    aalter, _amira = towns["aalter"]
    bree, _bohdan = towns["bree"]
    regional = user("regional")
    SiteGrant.objects.create(site=aalter, user=regional, level=SiteGrant.Level.FIGURES)
    SiteGrant.objects.create(site=bree, user=regional, level=SiteGrant.Level.FIGURES)

    assert registry_site_ids(regional) == frozenset()
    assert seal(Participant.objects.all(), regional).count() == 0
    assert report_site_ids(regional) == {aalter.pk, bree.pk}
    assert {site.site_name for site in visible_sites(regional, figures=True)} == {"Aalter", "Bree"}


def test_nobody_without_a_grant_sees_anything_once_there_are_two_sites(towns):
    stranger = user("stranger")
    assert seal(Participant.objects.all(), stranger).count() == 0
    assert visible_sites(stranger).count() == 0
    boss = user("boss", superuser=True)
    assert seal(Participant.objects.all(), boss).count() == Participant.objects.count()


def test_one_site_needs_no_grants(towns):
    """An installation with one municipality works as before there were several."""
    _aalter, amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    Participant.objects.filter(pk=bohdan.pk).delete()
    Site.objects.exclude(pk=amira.site_id).delete()
    coordinator = user("only-one-site")
    hers = Participant.objects.filter(pk=amira.pk)
    assert list(seal(hers, coordinator)) == [amira]

    # The second municipality arrives: the first one's registry closes until granted.
    Site.objects.create(hostname="bree.example", root_page=bree.root_page, site_name="Bree")
    forget_grants(coordinator)
    assert seal(hers, coordinator).count() == 0


def test_the_participant_screen_of_another_site_is_not_found_and_names_nobody(towns):
    aalter, amira = towns["aalter"]
    _bree, bohdan = towns["bree"]
    coordinator = participant_coordinator(aalter, "aalter-coordinator")
    client = Client()
    client.force_login(coordinator)

    listing = client.get(reverse("participants:index"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Aalterse" in body
    assert "Breeënaar" not in body

    for name in ("inspect", "edit", "delete"):
        answer = client.get(reverse(f"participants:{name}", args=[bohdan.pk]))
        assert answer.status_code == 404, name
        assert "Breeënaar" not in answer.content.decode()
    assert client.get(reverse("participants:inspect", args=[amira.pk])).status_code == 200


def test_erasing_a_person_keeps_the_same_address_s_sign_ups_elsewhere_and_logs_the_site(towns):
    aalter, amira = towns["aalter"]
    bree, _bohdan = towns["bree"]
    start, end = factories.next_day_at(14), factories.next_day_at(16)
    here = factories.activity(
        factories.calendar(aalter.root_page.specific), "Koken", start, end, capacity=9
    )
    there = factories.activity(
        factories.calendar(bree.root_page.specific), "Wandelen", start, end, capacity=9
    )
    mine = factories.sign_up(here, amira.email)
    elsewhere = factories.sign_up(there, amira.email)
    assert (mine.site, elsewhere.site) == (aalter, bree)
    number = amira.pk

    data_protection.participant_erase(participant=amira, user=None)

    entry = RegistryAuditEvent.objects.get(participant_ref=number, action="erase")
    assert entry.site_id == aalter.pk
    signups = ActivitySignup.objects.filter(email=amira.email)
    assert list(signups.values_list("activity__title", flat=True)) == ["Wandelen"]


def test_each_municipality_keeps_ended_trajectories_for_its_own_time(towns):
    aalter, amira = towns["aalter"]
    _bree, bohdan = towns["bree"]
    ended = timezone.now() - timedelta(days=60)
    Participant.objects.filter(pk__in=[amira.pk, bohdan.pk]).update(
        status="stopped", ended_at=ended, status_changed_at=ended
    )
    MunicipalitySettings.objects.create(site=aalter, retention_days=30)

    data_protection.retention_apply()

    amira.refresh_from_db()
    bohdan.refresh_from_db()
    assert amira.anonymised_at is not None
    assert amira.last_name == ""
    assert bohdan.anonymised_at is None
    assert bohdan.last_name == "Breeënaar"


def test_a_newsletter_reaches_its_own_site_s_people_only(towns):
    aalter, _amira = towns["aalter"]
    Participant.objects.update(newsletter_status="confirmed")
    names = [r.first_name for r in recipients_for(["everyone"], site_id=aalter.pk)]
    assert names == ["Amira"]
    assert "Bohdan" in [r.first_name for r in recipients_for(["everyone"], site_id=None)]


def test_the_upgrade_gives_existing_records_their_programme_s_site(towns):
    aalter, amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    ours = Participant.objects.filter(pk__in=[amira.pk, bohdan.pk])
    ours.update(site=None)
    RegistryAuditEvent.objects.create(action="view", participant_ref=bohdan.pk)
    migration = importlib.import_module("buddypages.migrations.0018_sealed_sites")

    migration.backfill_sites(apps, None)

    assert dict(ours.values_list("last_name", "site_id")) == {
        "Aalterse": aalter.pk,
        "Breeënaar": bree.pk,
    }
    assert RegistryAuditEvent.objects.get(participant_ref=bohdan.pk).site_id == bree.pk


def test_wagtail_s_history_of_a_person_is_their_municipality_s_and_names_no_one(towns):
    """Reports › Site history: a coordinator reads the history of their own site's records,
    by number, and nothing of another site's (not even who changed them)."""
    from wagtail.log_actions import log

    from buddypages.pages.history import SiteLogEntry

    aalter, amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    bree_staff = user("bree-staff-quistgaard")
    log(bohdan, "wagtail.edit", user=bree_staff)
    log(amira, "wagtail.edit")
    entry = SiteLogEntry.objects.filter(object_id=str(bohdan.pk)).latest("pk")
    assert entry.site_id == bree.pk
    assert "Breeënaar" not in entry.label
    assert entry.label.endswith(f" {bohdan.pk}")

    coordinator = participant_coordinator(aalter, "aalter-reader")
    readable = SiteLogEntry.objects.viewable_by_user(coordinator)
    assert list(readable.values_list("object_id", flat=True)) == [str(amira.pk)]
    client = Client()
    client.force_login(coordinator)
    history = client.get("/admin/reports/site-history/").content.decode()
    assert f"Participant {amira.pk}" in history or f"Deelnemer {amira.pk}" in history
    assert "quistgaard" not in history
    assert f" {bohdan.pk}<" not in history


def test_a_person_s_history_opens_for_their_coordinator_and_not_for_another(towns):
    aalter, amira = towns["aalter"]
    _bree, bohdan = towns["bree"]
    coordinator = participant_coordinator(aalter, "aalter-historian")
    client = Client()
    client.force_login(coordinator)

    assert client.get(reverse("participants:history", args=[amira.pk])).status_code == 200
    assert client.get(reverse("participants:history", args=[bohdan.pk])).status_code == 404


def test_a_list_export_is_in_the_audit_log_of_the_municipality_whose_people_it_holds(towns):
    aalter, _amira = towns["aalter"]
    coordinator = participant_coordinator(aalter, "aalter-exporter")
    client = Client()
    client.force_login(coordinator)

    answer = client.get(reverse("participants:index") + "?export=csv")

    assert answer.status_code == 200
    body = (
        b"".join(answer.streaming_content).decode() if answer.streaming else answer.content.decode()
    )
    assert "Aalterse" in body
    assert "Breeënaar" not in body
    entry = RegistryAuditEvent.objects.filter(action="export_list").latest("pk")
    assert (entry.site_id, entry.count, entry.username) == (aalter.pk, 1, "aalter-exporter")


def test_the_tip_of_the_week_of_a_municipality_is_its_own(towns):
    """A widget on a town's website and its newsletter show that town's tip, not another's."""
    from buddypages.pages.selectors import language_tip_for_newsletter, language_tip_of_the_week

    aalter, _amira = towns["aalter"]
    bree, _bohdan = towns["bree"]
    nl = aalter.root_page.locale
    factories.tip(factories.tip_index(aalter.root_page.specific), "Goeiemorgen Aalter")
    factories.tip(factories.tip_index(bree.root_page.specific), "Goeiemiddag Bree")

    for site, phrase in ((aalter, "Goeiemorgen Aalter"), (bree, "Goeiemiddag Bree")):
        assert language_tip_of_the_week(locale=nl, site_id=site.pk).phrase == phrase
        assert language_tip_for_newsletter(None, locale=nl, site_id=site.pk).phrase == phrase


def test_reports_name_a_municipality_by_its_own_name(towns):
    from buddypages.pages.municipality import municipality_names

    aalter, _amira = towns["aalter"]
    bree, _bohdan = towns["bree"]
    MunicipalitySettings.objects.create(site=aalter, name="Buddywerking Aalter")
    assert municipality_names([aalter, bree]) == {
        aalter.pk: "Buddywerking Aalter",
        bree.pk: "Bree",
    }


def test_the_plugin_s_own_admin_screens_have_a_title(towns):
    boss = user("title-reader", superuser=True)
    client = Client()
    client.force_login(boss)
    for url, title in (
        ("/admin/yearly-report/", "Yearly report"),
        ("/admin/matching/", "Matching"),
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f"<title>{title} - " in page, url


def test_a_coordinator_changes_only_their_own_municipality_s_settings(towns):
    aalter, _amira = towns["aalter"]
    bree, _bohdan = towns["bree"]
    coordinator = user("aalter-settings")
    coordinator.user_permissions.add(
        Permission.objects.get(codename="change_municipalitysettings"),
        Permission.objects.get(codename="access_admin"),
    )
    SiteGrant.objects.create(site=aalter, user=coordinator)
    client = Client()
    client.force_login(coordinator)
    url = "/admin/settings/buddypages/municipalitysettings/{}/"

    assert client.get(url.format(aalter.pk)).status_code == 200
    # Wagtail answers a refused admin screen with the dashboard and a message.
    for refused in (
        client.get(url.format(bree.pk)),
        client.post(url.format(bree.pk), {"reply_to": "aalter@example.org"}),
    ):
        assert refused.status_code == 302
        assert refused["Location"] == "/admin/"
    assert not MunicipalitySettings.objects.filter(site=bree, reply_to__contains="aalter").exists()


def test_a_bulk_delete_does_not_reach_another_municipality_s_note(towns):
    from buddypages.registry.volunteering import InformationNote

    aalter, _amira = towns["aalter"]
    _bree, bohdan = towns["bree"]
    note = InformationNote.objects.create(
        programme=bohdan.programme,
        programme_key=bohdan.programme_key,
        title="Nota Bree",
        locale=bohdan.programme.locale,
    )
    coordinator = user("aalter-notes")
    coordinator.user_permissions.add(
        *Permission.objects.filter(codename__endswith="_informationnote"),
        Permission.objects.get(codename="access_admin"),
    )
    SiteGrant.objects.create(site=aalter, user=coordinator)
    client = Client()
    client.force_login(coordinator)

    answer = client.post(f"/admin/bulk/buddypages/informationnote/delete/?id={note.pk}")

    assert answer.status_code == 404
    assert InformationNote.objects.filter(pk=note.pk).exists()


def test_a_question_is_announced_to_the_duo_s_own_coordinators(towns):
    from buddypages.duos.referrals import coordinator_addresses

    aalter, _amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    volunteer = person(bohdan.programme, role="volunteer", first_name="Vic")
    duo = Duo.objects.create(
        programme=bohdan.programme,
        programme_key=bohdan.programme_key,
        newcomer=bohdan,
        volunteer=volunteer,
        start_date=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180),
        feedback_due=timezone.localdate() + timedelta(days=90),
    )
    handles = Permission.objects.get(codename="change_duoquestion")
    for name, site in (("aalter-q", aalter), ("bree-q", bree)):
        account = user(name)
        account.email = f"{name}@example.org"
        account.save()
        account.user_permissions.add(handles)
        SiteGrant.objects.create(site=site, user=account)

    addresses = coordinator_addresses(duo)

    assert "bree-q@example.org" in addresses
    assert "aalter-q@example.org" not in addresses


def test_the_dashboard_warns_whoever_grants_access_while_nobody_is_granted(towns):
    boss = user("granting-boss", superuser=True)
    client = Client()
    client.force_login(boss)
    heading = "Nobody is granted a municipality yet"

    assert heading in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    SiteGrant.objects.create(site=towns["aalter"][0], user=user("granted"))
    assert heading not in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_matching_run_is_in_its_own_municipality_s_audit_log(towns):
    from buddypages.duos.services import proposals_create

    bree, bohdan = towns["bree"]
    proposals_create(programme=bohdan.programme, user=None)
    entry = RegistryAuditEvent.objects.filter(detail="matching run").latest("pk")
    assert entry.site_id == bree.pk


def test_every_screen_reads_a_programme_s_site_by_one_rule(towns):
    """Filters, notes and policies, matching and vouchers all ask the same question (which
    site a programme belongs to) and get the same answer: its Dutch page's, even when a
    translation is published in another municipality's tree that comes first."""
    from wagtail.models import Locale

    from buddypages.models import ProgrammePage
    from buddypages.pages.municipality import visible_programme_keys, visible_programmes
    from buddypages.registry.admin import programme_choices
    from buddypages.registry.volunteer_admin import of_visible_programmes

    aalter, amira = towns["aalter"]
    bree, bohdan = towns["bree"]
    french, _created = Locale.objects.get_or_create(language_code="fr")
    stray = ProgrammePage(
        title="Buddy Bree (fr)",
        slug="buddy-bree-fr",
        summary="Bree.",
        locale=french,
        translation_key=bohdan.programme_key,
    )
    aalter.root_page.add_child(instance=stray)  # Aalter's tree comes first
    answers = {}
    for site in (aalter, bree):
        coordinator = participant_coordinator(site, f"one-rule-{site.pk}")
        keys = visible_programme_keys(coordinator)
        assert {p.translation_key for p in programme_choices(coordinator)} == keys
        assert {p.translation_key for p in visible_programmes(coordinator)} == keys
        people = of_visible_programmes(Participant.objects.all(), coordinator)
        assert {p.programme_key for p in people} == keys
        answers[site.site_name] = keys
    assert answers == {"Aalter": {amira.programme_key}, "Bree": {bohdan.programme_key}}
    assert bohdan.site == bree
