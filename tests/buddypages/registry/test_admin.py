"""The registry in the admin: who gets in, what they see, and what is logged."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from buddypages.registry.models import Participant, RegistryAuditEvent
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zorobabel"
SECRET_EMAIL = "zorobabel.private@example.net"


@pytest.fixture
def person(demo):
    return participant(
        demo.programme,
        first_name=SECRET_NAME,
        last_name="Vanderprivé",
        email=SECRET_EMAIL,
        status="waiting",
        waiting_since=timezone.now(),
        neighbourhood="Molenwijk",
    )


def _client(username=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.net", "x" * 16)


def registry_urls(pk):
    return [
        "/admin/participants/",
        "/admin/participants/results/",
        "/admin/participants/?export=csv",
        "/admin/participants/?export=xlsx",
        f"/admin/participants/inspect/{pk}/",
        f"/admin/participants/edit/{pk}/",
        f"/admin/participants/delete/{pk}/",
        f"/admin/participants/intake/{pk}/",
        f"/admin/participants/export/{pk}/",
        f"/admin/participants/history/{pk}/",
        "/admin/registry_audit/",
    ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", [None, "editor"])
def test_anonymous_visitors_and_editors_get_nothing(person, who):
    client = _client(who)
    for url in registry_urls(person.pk):
        response = client.get(url)
        assert response.status_code != 200, url
        assert SECRET_NAME.encode() not in _body(response), url
        assert SECRET_EMAIL.encode() not in _body(response), url
    # Nor can they change anything.
    for url in [
        f"/admin/participants/edit/{person.pk}/",
        f"/admin/participants/delete/{person.pk}/",
    ]:
        client.post(url, {"first_name": "Changed"})
    assert Participant.objects.get(pk=person.pk).first_name == SECRET_NAME


def test_the_editor_menu_has_no_registry(demo):
    body = _client("editor").get("/admin/").content.decode()
    assert "/admin/participants/" not in body
    assert "/admin/participants/" in _client("coordinator").get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_coordinators_and_superusers_reach_every_registry_view(person, who, superuser):
    client = _client("root" if who == "superuser" else who)
    for url in registry_urls(person.pk):
        if who == "coordinator" and url == "/admin/registry_audit/":
            continue  # the audit log is for the data protection officer
        response = client.get(url)
        assert response.status_code == 200, url


def test_nobody_adds_participants_by_hand(person, superuser):
    assert _client("root").get("/admin/participants/new/").status_code != 200


def test_export_needs_its_own_permission(person):
    limited = Group.objects.create(name="Registry readers")
    limited.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_participant"])
    )
    reader = get_user_model().objects.create_user("reader", password="x" * 16)
    reader.groups.add(limited)
    client = Client()
    client.force_login(reader)
    assert client.get("/admin/participants/").status_code == 200
    listing = client.get("/admin/participants/").content.decode()
    assert "export=csv" not in listing
    for url in ["/admin/participants/?export=csv", f"/admin/participants/export/{person.pk}/"]:
        response = client.get(url)
        assert response.status_code != 200
        assert SECRET_EMAIL.encode() not in _body(response)


def test_filters_and_search(person, demo):
    client = _client("coordinator")
    cases = {
        "?status=waiting": True,
        "?status=active": False,
        "?role=newcomer": True,
        "?role=volunteer": False,
        f"?programme={demo.programme.pk}": True,
        "?neighbourhood=molen": True,
        "?neighbourhood=centrum": False,
        "?language=ar": False,
        f"?q={SECRET_NAME}": True,
        "?q=nobody-by-this-name": False,
        f"?waiting_since_from={timezone.localdate().isoformat()}": True,
    }
    person.spoken_languages.create(code="ti")
    cases["?language=ti"] = True
    for query, found in cases.items():
        response = client.get(f"/admin/participants/{query}")
        assert response.status_code == 200, query
        assert (SECRET_NAME in response.content.decode()) is found, query


def test_list_export_in_csv_and_xlsx_is_filtered_and_logged(person):
    client = _client("coordinator")
    response = client.get("/admin/participants/?export=csv&neighbourhood=molenwijk")
    header, *rows = list(csv.reader(io.StringIO(_body(response).decode())))
    assert len(header) > 15
    assert [row for row in rows if SECRET_EMAIL in row]
    assert all("Molenwijk" in row for row in rows)
    event = RegistryAuditEvent.objects.filter(action="export_list").latest("at")
    assert event.username == "coordinator"
    assert event.count == len(rows)
    assert "neighbourhood=molenwijk" in event.detail

    xlsx = client.get("/admin/participants/?export=xlsx&q=Zorobabel")
    sheet = load_workbook(io.BytesIO(_body(xlsx))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert SECRET_EMAIL in values


def test_viewing_a_record_is_logged(person):
    _client("coordinator").get(f"/admin/participants/inspect/{person.pk}/")
    event = RegistryAuditEvent.objects.get(action="view", participant_ref=person.pk)
    assert event.username == "coordinator"


def test_a_status_change_is_kept_with_who_and_when(person):
    client = _client("coordinator")
    form = client.get(f"/admin/participants/edit/{person.pk}/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("interests",)
    }
    data.update(
        {
            "spoken": ["ar"],
            "free_moments": ["sat_morning"],
            "new_status": "matched",
            "status_note": "Met Jan",
            "max_duos": 1,
            "preferred_language": "nl",
        }
    )
    response = client.post(f"/admin/participants/edit/{person.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.status == "matched"
    assert person.waiting_since is None
    change = person.status_changes.get(to_status="matched")
    assert (change.from_status, change.changed_by.username, change.note) == (
        "waiting",
        "coordinator",
        "Met Jan",
    )
    event = RegistryAuditEvent.objects.get(action="change", participant_ref=person.pk)
    assert "status" in event.detail
    assert SECRET_NAME not in event.detail


def test_the_intake_is_recorded_with_corrections_and_the_next_step(person):
    client = _client("coordinator")
    data = {
        "intake-held_on": timezone.localdate().isoformat(),
        "intake-notes": "Wil graag fietsen.",
        "intake-expectations_confirmed": "on",
        "intake-commitment_confirmed": "on",
        "intake-next_status": "waiting",
        "answers-first_name": SECRET_NAME,
        "answers-last_name": "Vanderprivé",
        "answers-email": SECRET_EMAIL,
        "answers-preferred_language": "ar",
        "answers-dutch_level": "a2",
        "answers-postcode": "2991",
        "answers-neighbourhood": "Heide-Noord",
        "answers-max_duos": "1",
        "answers-spoken": ["ar", "fr"],
        "answers-free_moments": ["mon_evening"],
    }
    person.status = "intake_planned"
    person.save()
    response = client.post(f"/admin/participants/intake/{person.pk}/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    intake = person.intakes.get()
    assert intake.notes == "Wil graag fietsen."
    assert intake.expectations_confirmed
    assert intake.commitment_confirmed
    assert intake.recorded_by.username == "coordinator"
    assert (person.status, person.dutch_level, person.postcode) == ("waiting", "a2", "2991")
    assert person.waiting_since is not None
    assert person.spoken_language_codes() == ["ar", "fr"]
    event = RegistryAuditEvent.objects.get(action="intake", participant_ref=person.pk)
    assert "postcode" in event.detail


def test_a_bad_intake_gets_messages_not_an_error(person):
    response = _client("coordinator").post(
        f"/admin/participants/intake/{person.pk}/", {"intake-held_on": "not a date"}
    )
    assert response.status_code == 400
    assert not person.intakes.exists()


def test_the_listing_uses_a_fixed_number_of_queries(demo):
    client = _client("coordinator")
    client.get("/admin/participants/")  # warm caches (menus, permissions)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/participants/").status_code == 200
        return len(queries)

    few = count_queries()
    Participant.objects.bulk_create(
        Participant(
            programme=demo.programme,
            programme_key=demo.programme.translation_key,
            role="volunteer" if number % 2 else "newcomer",
            first_name=f"Bulk{number}",
            last_name="Persoon",
            email=f"bulk{number}@example.net",
            form_language="nl",
        )
        for number in range(10_000)
    )
    many = count_queries()
    assert many == few, f"{few} queries with the demo, {many} with 10,000 more"


def test_person_export_is_complete_and_logged(person, demo):
    from buddypages.registry.data_protection import participant_export
    from tests.buddypages import factories

    person.spoken_languages.create(code="ar")
    person.consents.create(purpose="programme", given=True, method="web_form", text_version="v1")
    person.intakes.create(
        held_on=timezone.localdate(),
        notes="Notitie",
        expectations_confirmed=True,
        commitment_confirmed=True,
    )
    walk = (
        demo.calendar.get_children()
        .type(__import__("buddypages.models", fromlist=["ActivityPage"]).ActivityPage)
        .live()
        .specific()
        .filter(activitypage__capacity__isnull=False)
        .first()
    )
    signup = factories.sign_up(
        walk, SECRET_EMAIL, start=walk.specific.upcoming_occurrences()[0].start
    )

    response = _client("coordinator").get(f"/admin/participants/export/{person.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    fields = {f.name for f in Participant._meta.concrete_fields}
    assert fields <= set(data["participant"])
    assert data["participant"]["email"] == SECRET_EMAIL
    assert data["spoken_languages"] == ["ar"]
    assert data["consents"][0]["text_version"] == "v1"
    assert data["intakes"][0]["notes"] == "Notitie"
    assert data["activity_signups"][0]["email"] == signup.email
    assert RegistryAuditEvent.objects.filter(
        action="export_person", participant_ref=person.pk
    ).exists()
    assert participant_export(participant=person, user=None)[
        "access_log"
    ]  # who looked is theirs too
