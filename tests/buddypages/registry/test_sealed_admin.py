"""The sealed registry in the admin: a coordinator granted site A sees nothing of site B.

Two municipalities, each with a person whose name appears nowhere else; the coordinator of
A asks for every screen of the registry, the volunteers' paperwork, trainings and activity
sign-ups. B's records answer 404 (or 403) and B's person's name is nowhere in any answer;
A's person is there."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Site

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import aware
from buddypages.calendar.pages import ActivityCalendarPage, ActivityPage
from buddypages.pages.access import SiteGrant
from buddypages.registry import volunteer_services
from buddypages.registry.models import Participant, RegistryAuditEvent
from buddypages.registry.volunteering import InsuranceCover, InsurancePolicy, TrainingAttendance
from tests.buddypages.registry.helpers import participant
from tests.buddypages.reports.conftest import municipality

pytestmark = pytest.mark.django_db

A_NAME, B_NAME = "Quirinius", "Ysoldeke"
A_EMAIL, B_EMAIL = "quirinius.appelstad@example.net", "ysoldeke.bramdorp@example.net"


@dataclass
class Town:
    site: Site
    programme: object
    person: Participant  # a newcomer waiting, with the town's secret name
    volunteer: Participant  # insured, acknowledged the note
    policy: InsurancePolicy
    training: ActivityPage
    signup: ActivitySignup


def _training(home, *, title: str) -> ActivityPage:
    calendar = ActivityCalendarPage(title=f"Agenda {title}", slug=f"agenda-{home.slug}")
    calendar.locale = home.locale
    home.add_child(instance=calendar)
    day = timezone.localdate() - timedelta(days=7)
    page = ActivityPage(
        title=title,
        slug=f"vorming-{home.slug}",
        locale=home.locale,
        kind="volunteer_training",
        training_topic="basic",
        audience="volunteers",
        start=aware(datetime.combine(day, time(19, 0))),
        end=aware(datetime.combine(day, time(21, 0))),
        capacity=20,
        place_name="Zaal",
    )
    calendar.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def town(name: str, secret: str, email: str) -> Town:
    site, programme = municipality(name)
    person = participant(
        programme,
        first_name=secret,
        last_name="Persoon",
        email=email,
        status="waiting",
        waiting_since=timezone.now(),
    )
    policy = InsurancePolicy.objects.create(
        programme=programme,
        programme_key=programme.translation_key,
        insurer=f"Verzekeraar {name}",
        policy_number=f"POL-{name}",
        covers="Aansprakelijkheid.",
        valid_from=date(2020, 1, 1),
    )
    volunteer = participant(
        programme,
        role="volunteer",
        status="waiting",
        first_name=f"{secret}vrijwilliger",
        last_name="Persoon",
        email=f"vrijwilliger.{email}",
    )
    training = _training(site.root_page, title=f"Vorming {name}")
    signup = ActivitySignup.objects.create(
        activity=training,
        occurrence_start=training.start,
        name=f"{secret}vrijwilliger Persoon",
        email=volunteer.email,
        language="nl",
        status=ActivitySignup.CONFIRMED,
    )
    return Town(site, programme, person, volunteer, policy, training, signup)


COORDINATOR_PERMISSIONS = [
    "access_admin",
    *(f"{action}_participant" for action in ("view", "change", "delete", "export")),
    *(f"{action}_activitysignup" for action in ("view", "change", "delete")),
    *(
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("insurancepolicy", "insurancecover", "trainingattendance", "suppression")
    ),
    "view_registryauditevent",
    "add_send",
    "view_send",
    "change_send",
]


def coordinator_of(*sites, username="sealed-coordinator", level="registry"):
    """A coordinator (the registry's model permissions) granted ``sites``."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org")
    user.user_permissions.add(*Permission.objects.filter(codename__in=COORDINATOR_PERMISSIONS))
    for site in sites:
        SiteGrant.objects.create(site=site, user=user, level=level)
    return get_user_model().objects.get(pk=user.pk)  # permissions read afresh


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def towns(db):
    a = town("Appelstad", A_NAME, A_EMAIL)
    b = town("Bramdorp", B_NAME, B_EMAIL)
    assert (a.person.site, b.person.site) == (a.site, b.site)
    assert b.signup.site == b.site
    return a, b


@pytest.fixture
def coordinator(towns):
    """A coordinator granted site A only (with the audit log's permission too)."""
    return client_for(coordinator_of(towns[0].site))


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def refused(client, url, method="get", data=None):
    """``url`` answers 404 or 403 and names nobody of site B."""
    response = getattr(client, method)(url, data or {})
    assert response.status_code in (403, 404), (url, response.status_code)
    assert B_NAME not in body(response), url
    assert B_EMAIL not in body(response), url
    return response


def shown(client, url, *present):
    """``url`` answers 200 with ``present`` in it, and B's person nowhere."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = body(response)
    for value in present:
        assert value in text, (url, value)
    assert B_NAME not in text, url
    assert B_EMAIL not in text, url
    return text


# --- Participants -------------------------------------------------------------------------


def test_another_site_s_participant_answers_404_on_every_screen(towns, coordinator):
    a, b = towns
    for pk_url in (
        "/admin/participants/inspect/{}/",
        "/admin/participants/edit/{}/",
        "/admin/participants/delete/{}/",
        "/admin/participants/history/{}/",
        "/admin/participants/intake/{}/",
        "/admin/participants/export/{}/",
    ):
        refused(coordinator, pk_url.format(b.person.pk))
    refused(coordinator, f"/admin/volunteering/{b.volunteer.pk}/")
    assert not RegistryAuditEvent.objects.filter(
        participant_ref=b.person.pk, action="export_person"
    ).exists()


def test_the_own_site_s_participant_opens_everywhere(towns, coordinator):
    a, _b = towns
    shown(coordinator, f"/admin/participants/inspect/{a.person.pk}/", A_NAME)
    shown(coordinator, f"/admin/participants/intake/{a.person.pk}/", A_NAME)
    shown(coordinator, f"/admin/participants/export/{a.person.pk}/", A_EMAIL)


def test_intake_and_volunteer_actions_on_another_site_change_nothing(towns, coordinator):
    _a, b = towns
    refused(
        coordinator,
        f"/admin/participants/intake/{b.person.pk}/",
        "post",
        {"intake-held_on": "2026-01-05", "intake-next_status": "stopped"},
    )
    refused(
        coordinator,
        f"/admin/volunteering/{b.volunteer.pk}/",
        "post",
        {"action": "close_cover", "ends_on": "2026-01-05"},
    )
    b.person.refresh_from_db()
    assert b.person.status == "waiting"
    assert not b.person.intakes.exists()
    assert b.volunteer.insurance_covers.filter(ends_on__isnull=True).exists()


def test_lists_exports_and_the_programme_filter_show_only_the_own_site(towns, coordinator):
    a, b = towns
    page = shown(coordinator, "/admin/participants/", A_NAME, a.programme.title)
    assert b.programme.title not in page  # the programme filter's choices
    shown(coordinator, "/admin/participants/results/", A_NAME)
    searched = body(coordinator.get(f"/admin/participants/?q={B_NAME}"))
    assert f"{B_NAME} Persoon" not in searched  # the query is echoed, the person is not
    assert B_EMAIL not in searched
    exported = shown(coordinator, "/admin/participants/?export=csv", A_EMAIL)
    assert [row for row in csv.reader(io.StringIO(exported)) if A_EMAIL in row]
    xlsx = coordinator.get("/admin/participants/?export=xlsx")
    values = [
        cell.value
        for row in load_workbook(io.BytesIO(xlsx.getvalue())).active.iter_rows()
        for cell in row
    ]
    assert A_EMAIL in values
    assert B_EMAIL not in values
    # Asking for B's programme through the filter gives nothing either.
    shown(coordinator, f"/admin/participants/?programme={b.programme.pk}")


def test_the_audit_log_shows_only_the_own_site(towns, coordinator):
    a, b = towns
    RegistryAuditEvent.objects.create(action="view", detail=f"seen {A_NAME}", site=a.site)
    secret = RegistryAuditEvent.objects.create(action="view", detail=f"seen {B_NAME}", site=b.site)
    shown(coordinator, "/admin/registry_audit/", A_NAME)
    refused(coordinator, f"/admin/registry_audit/inspect/{secret.pk}/")


# --- Volunteers' paperwork ------------------------------------------------------------------


def test_insured_volunteers_and_the_insurer_s_export_are_the_own_site_s(towns, coordinator):
    a, b = towns
    page = shown(coordinator, "/admin/insured_volunteers/", A_NAME, a.policy.insurer)
    assert b.policy.insurer not in page  # the policy filter's choices
    shown(coordinator, "/admin/insured_volunteers/?export=csv", A_NAME)
    xlsx = coordinator.get("/admin/insured_volunteers/?export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    names = [cell.value for row in sheet.iter_rows() for cell in row]
    assert f"{A_NAME}vrijwilliger" in names
    assert f"{B_NAME}vrijwilliger" not in names
    cover = InsuranceCover.objects.get(participant=b.volunteer)
    refused(coordinator, f"/admin/insured_volunteers/edit/{cover.pk}/")
    refused(coordinator, f"/admin/insured_volunteers/delete/{cover.pk}/")


def test_policies_belong_to_their_programme_s_site(towns, coordinator):
    a, b = towns
    page = shown(coordinator, "/admin/volunteer_insurance/", a.policy.insurer)
    assert b.policy.insurer not in page
    assert b.programme.title not in page
    refused(coordinator, f"/admin/volunteer_insurance/edit/{b.policy.pk}/")
    refused(coordinator, f"/admin/volunteer_insurance/delete/{b.policy.pk}/")
    policy = {
        "insurer": "Indringer",
        "policy_number": "X-1",
        "covers": "Alles.",
        "valid_from": "2026-01-01",
    }
    coordinator.post("/admin/volunteer_insurance/new/", {**policy, "programme": b.programme.pk})
    assert not InsurancePolicy.objects.filter(insurer="Indringer").exists()
    coordinator.post("/admin/volunteer_insurance/new/", {**policy, "programme": a.programme.pk})
    assert InsurancePolicy.objects.get(insurer="Indringer").programme_key == (
        a.programme.translation_key
    )


def test_the_note_overview_and_its_bulk_send_reach_only_the_own_site(
    towns, coordinator, django_capture_on_commit_callbacks
):
    a, b = towns
    page = shown(coordinator, "/admin/volunteering/", a.programme.title)
    assert b.programme.title not in page
    refused(coordinator, "/admin/volunteering/", "post", {"programme": b.programme.pk})


def test_a_coordinator_s_bulk_send_skips_people_of_other_sites(towns):
    """People of another site under the same programme key (a programme page moved to
    another municipality's tree keeps its key) stay out of a coordinator's bulk send."""
    a, b = towns
    user = coordinator_of(a.site)
    here = participant(a.programme, role="volunteer", status="waiting", ready=False)
    elsewhere = participant(a.programme, role="volunteer", status="waiting", ready=False)
    Participant.objects.filter(pk=elsewhere.pk).update(site=b.site)
    RegistryAuditEvent.objects.all().delete()

    sent = volunteer_services.volunteer_notes_send(
        programme_key=a.programme.translation_key, user=user
    )

    assert sent == 1
    links = RegistryAuditEvent.objects.filter(detail="information note link sent")
    assert set(links.values_list("participant_ref", flat=True)) == {here.pk}
    # The nightly command acts for every site.
    assert volunteer_services.volunteer_notes_send(programme_key=a.programme.translation_key) == 2


# --- Trainings ---------------------------------------------------------------------------


def _date_url(training) -> str:
    return f"/admin/trainings/{training.pk}/{int(training.start.timestamp())}/"


def test_trainings_and_their_attendance_sheets_are_the_own_site_s(towns, coordinator):
    a, b = towns
    index = shown(coordinator, "/admin/trainings/", a.training.title)
    assert b.training.title not in index
    refused(coordinator, _date_url(b.training))
    sheet = shown(coordinator, _date_url(a.training), f"{A_NAME}vrijwilliger")
    assert f"{B_NAME}vrijwilliger" not in sheet


def test_a_volunteer_with_the_same_address_elsewhere_is_not_offered(towns, coordinator):
    """B's volunteer signed up for A's training with their address: A's sheet does not
    name them, offers them nowhere, and will not record them."""
    a, b = towns
    ActivitySignup.objects.create(
        activity=a.training,
        occurrence_start=a.training.start,
        name="Iemand",
        email=b.volunteer.email,
        language="nl",
    )
    sheet = coordinator.get(_date_url(a.training))
    assert f"{A_NAME}vrijwilliger" in body(sheet)
    assert f"{B_NAME}vrijwilliger" not in body(sheet)  # the sign-up is A's, the person is not
    coordinator.post(_date_url(a.training), {"volunteer": b.volunteer.pk})
    refused(coordinator, _date_url(b.training), "post", {"volunteer": b.volunteer.pk})
    assert not TrainingAttendance.objects.filter(participant=b.volunteer).exists()
    coordinator.post(_date_url(a.training), {"volunteer": a.volunteer.pk})
    assert TrainingAttendance.objects.filter(participant=a.volunteer).exists()


# --- Activity sign-ups --------------------------------------------------------------------


def test_activity_sign_ups_are_the_own_site_s(towns, coordinator):
    a, b = towns
    page = shown(coordinator, "/admin/activity_signups/", f"{A_NAME}vrijwilliger")
    assert b.training.title not in page  # the activity filter's choices
    assert a.training.title in page
    shown(coordinator, "/admin/activity_signups/?export=csv", f"{A_NAME}vrijwilliger")
    shown(coordinator, f"/admin/activity_signups/?activity={b.training.pk}")
    for url in ("inspect", "edit", "delete"):
        refused(coordinator, f"/admin/activity_signups/{url}/{b.signup.pk}/")
