"""The volunteer's information note (signed link, acknowledgement, consent ledger) and
insurance periods; the coordinator's section, overview and the list for the insurer."""

import csv
import io
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import Locale

from buddypages.registry import data_protection, services, volunteer_services
from buddypages.registry.models import Consent, RegistryAuditEvent
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    NoteAcknowledgement,
)
from tests.buddypages.registry.helpers import participant, volunteer_paperwork

pytestmark = pytest.mark.django_db


def login(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def volunteer(demo):
    """A waiting volunteer of a programme key of their own, with a note in force and a
    policy, who has not acknowledged the one nor been insured under the other."""
    key = uuid.uuid4()
    volunteer_paperwork(demo.programme, key)
    return participant(
        demo.programme,
        ready=False,
        programme_key=key,
        role="volunteer",
        status="intake_done",
        first_name="Vera",
        preferred_language="ar",
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def note_of(person):
    return volunteer_services.note_in_force(person.programme_key)


def link_path(person, language="nl"):
    with translation.override(language):
        return reverse("buddypages:volunteer-note", args=[volunteer_services.note_token(person)])


def translate_note(note, language, title):
    return InformationNote.objects.create(
        translation_key=note.translation_key,
        locale=Locale.objects.get(language_code=language),
        programme=note.programme,
        programme_key=note.programme_key,
        version=note.version,
        title=title,
        body="<p>نص</p>",
        published_at=note.published_at,
    )


# --- The volunteer's page -----------------------------------------------------------------


def test_the_link_shows_the_note_in_the_volunteers_language_and_the_policy(volunteer):
    note = note_of(volunteer)
    translate_note(note, "ar", "مذكرة المتطوعين")
    response = Client().get(link_path(volunteer, "ar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "مذكرة المتطوعين" in html
    assert "Testverzekeraar" in html
    assert "TV-0001" in html
    assert 'name="read"' in html
    assert not NoteAcknowledgement.objects.filter(participant=volunteer).exists()


def test_without_a_translation_the_dutch_note_is_shown_and_said(volunteer):
    html = Client().get(link_path(volunteer, "en")).content.decode()
    assert '<div lang="nl" dir="ltr">' in html
    assert "Informatienota voor vrijwilligers" in html
    assert "This note is not available in your language yet. Here it is in Dutch." in html


def test_acknowledging_records_the_ledger_the_audit_and_opens_insurance(volunteer):
    note = note_of(volunteer)
    path = link_path(volunteer, "ar")
    response = Client().post(path, {"read": "yes"})
    assert response.status_code == 302
    ack = NoteAcknowledgement.objects.get(participant=volunteer)
    assert (ack.note_key, ack.version, ack.language) == (note.translation_key, 1, "ar")
    consent = Consent.objects.get(participant=volunteer, purpose=Consent.Purpose.INFORMATION_NOTE)
    assert consent.given is True
    assert consent.text_version == note.version_label
    assert consent.method == Consent.Method.EMAIL_LINK
    assert consent.language == "ar"
    assert RegistryAuditEvent.objects.filter(
        participant_ref=volunteer.pk, detail="information note v1 acknowledged"
    ).exists()
    cover = InsuranceCover.objects.get(participant=volunteer)
    assert cover.starts_on == timezone.localdate()
    assert cover.ends_on is None
    # Again (a double click, the link opened twice): nothing more.
    Client().post(path, {"read": "yes"})
    assert NoteAcknowledgement.objects.filter(participant=volunteer).count() == 1
    assert Consent.objects.filter(participant=volunteer).count() == 1
    assert InsuranceCover.objects.filter(participant=volunteer).count() == 1
    html = Client().get(response["Location"]).content.decode()
    assert 'name="read"' not in html


def test_without_the_box_ticked_nothing_is_recorded(volunteer):
    response = Client().post(link_path(volunteer), {})
    assert response.status_code == 400
    with translation.override("nl"):
        expected = translation.gettext("Tick the box to say you read the note.")
    assert expected != "Tick the box to say you read the note."
    assert expected in response.content.decode()
    assert not NoteAcknowledgement.objects.filter(participant=volunteer).exists()
    assert not InsuranceCover.objects.filter(participant=volunteer).exists()


def test_a_new_version_asks_again_and_an_old_link_shows_it(volunteer):
    path = link_path(volunteer)
    Client().post(path, {"read": "yes"})
    note = note_of(volunteer)
    assert volunteer_services.acknowledged_current(volunteer)
    note.version = 2
    note.title = "Informatienota, nieuwe versie"
    note.save()
    assert not volunteer_services.acknowledged_current(volunteer)
    html = Client().get(path).content.decode()
    assert "Informatienota, nieuwe versie" in html
    assert 'name="read"' in html
    Client().post(path, {"read": "yes"})
    assert sorted(volunteer.note_acknowledgements.values_list("version", flat=True)) == [1, 2]
    # Still one insurance period: the first acknowledgement opened it.
    assert volunteer.insurance_covers.count() == 1


@pytest.mark.parametrize("token", ["nonsense", "x" * 300])
def test_a_bad_link_is_a_translated_404(volunteer, token):
    with translation.override("ar"):
        path = reverse("buddypages:volunteer-note", args=[token])
    response = Client().get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    english = "This link does not work (any more). Ask your coordinator for a new one."
    with translation.override("ar"):
        expected = translation.gettext(english)
    assert expected != english
    assert expected in html


def test_a_link_stops_working_when_the_address_changes(volunteer):
    path = link_path(volunteer)
    volunteer.email = "new-address@example.net"
    volunteer.save()
    assert Client().get(path).status_code == 404


# --- When the link is sent ----------------------------------------------------------------


def test_waiting_for_a_match_sends_the_link_in_the_volunteers_language(
    volunteer, django_capture_on_commit_callbacks
):
    translate_note(note_of(volunteer), "ar", "مذكرة المتطوعين")
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_update(
            participant=volunteer, user=None, changed_fields=[], status="waiting"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [volunteer.email]
    with translation.override("ar"):
        assert message.subject == translation.gettext(
            "Please read the information note for volunteers"
        )
    html = message.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    link = next(word for word in message.body.split() if "/volunteer-note/" in word)
    path = urlsplit(link).path
    assert path.startswith("/ar/volunteer-note/")
    assert Client().get(path).status_code == 200


def test_an_acknowledged_volunteer_gets_no_link_when_waiting(
    demo, django_capture_on_commit_callbacks
):
    ready = participant(demo.programme, programme_key=uuid.uuid4(), role="volunteer")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.participant_update(
            participant=ready, user=None, changed_fields=[], status="waiting"
        )
    assert callbacks == []
    assert mail.outbox == []


def test_stopping_closes_the_open_insurance_period(demo):
    ready = participant(demo.programme, programme_key=uuid.uuid4(), role="volunteer")
    services.participant_update(participant=ready, user=None, changed_fields=[], status="stopped")
    cover = ready.insurance_covers.get()
    assert cover.ends_on == timezone.localdate()


def test_erasure_removes_acknowledgements_and_insurance_and_export_has_them(demo):
    ready = participant(demo.programme, programme_key=uuid.uuid4(), role="volunteer")
    data = data_protection.participant_export(participant=ready, user=None)
    assert data["information_note_acknowledgements"][0]["version"] == 1
    assert data["insurance_periods"][0]["policy_number"] == "TV-0001"
    pk = ready.pk
    data_protection.participant_erase(participant=ready, user=None)
    assert not NoteAcknowledgement.objects.filter(participant_id=pk).exists()
    assert not InsuranceCover.objects.filter(participant_id=pk).exists()


# --- The coordinator ---------------------------------------------------------------------


def test_the_participant_page_shows_what_is_missing_and_its_buttons_work(
    volunteer, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    page = reverse("participants:inspect", args=[volunteer.pk])
    html = client.get(page).content.decode()
    with translation.override("nl"):
        assert translation.gettext("Information note and insurance") in html
    action = reverse("volunteering_action", args=[volunteer.pk])
    assert action in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, {"action": "send_note"})
    assert len(mail.outbox) == 1
    policy = volunteer_services.policy_in_force(volunteer.programme_key)
    start = timezone.localdate() - timedelta(days=3)
    client.post(action, {"action": "open_cover", "policy": policy.pk, "starts_on": start})
    cover = volunteer.insurance_covers.get()
    assert cover.starts_on == start
    # A second open period is refused; closing before the start is refused.
    client.post(action, {"action": "open_cover", "policy": policy.pk, "starts_on": start})
    assert volunteer.insurance_covers.count() == 1
    too_early = start - timedelta(days=1)
    client.post(action, {"action": "close_cover", "cover": cover.pk, "ends_on": too_early})
    cover.refresh_from_db()
    assert cover.ends_on is None
    client.post(action, {"action": "close_cover", "cover": cover.pk, "ends_on": start})
    cover.refresh_from_db()
    assert cover.ends_on == start
    details = RegistryAuditEvent.objects.filter(participant_ref=volunteer.pk).values_list(
        "detail", flat=True
    )
    assert "information note link sent" in details
    assert f"insurance period opened from {start.isoformat()}" in details


def test_editors_never_reach_policies_periods_or_buttons(volunteer):
    client = login("editor")
    for url in (
        reverse("volunteer_insurance:index"),
        reverse("insured_volunteers:index"),
        reverse("volunteering_index"),
    ):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(
        reverse("volunteering_action", args=[volunteer.pk]), {"action": "send_note"}
    )
    assert response.status_code in (302, 403)
    assert mail.outbox == []
    # The note is no personal data: editors help write and translate it.
    notes = reverse("wagtailsnippets_buddypages_informationnote:list")
    assert client.get(notes).status_code == 200


def test_the_insurer_gets_csv_and_xlsx_filtered_by_policy_and_audited(volunteer):
    make = volunteer_services.note_acknowledge
    make(participant=volunteer, note=note_of(volunteer), language="nl")
    policy = volunteer_services.policy_in_force(volunteer.programme_key)
    client = login("coordinator")
    url = reverse("insured_volunteers:index")
    before = RegistryAuditEvent.objects.filter(action="export_list").count()
    response = client.get(url, {"policy": policy.pk, "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 2
    assert str(volunteer.pk) in rows[1]
    assert "Vera" in rows[1]
    assert timezone.localdate().isoformat() in rows[1]
    response = client.get(url, {"policy": policy.pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet.max_row == 2
    assert RegistryAuditEvent.objects.filter(action="export_list").count() == before + 2
    # A period long before: nobody insured then.
    response = client.get(
        url,
        {
            "policy": policy.pk,
            "period_from": "2019-01-01",
            "period_to": "2019-12-31",
            "export": "csv",
        },
    )
    assert len(list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))) == 1


def test_exporting_needs_the_export_permission(volunteer, demo):
    user = get_user_model().objects.create_user("clerk", password="x")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_insurancecover"),
    )
    client = Client()
    client.force_login(user)
    url = reverse("insured_volunteers:index")
    assert client.get(url).status_code == 200
    response = client.get(url, {"export": "csv"})
    # Wagtail turns the refusal into a way back to the dashboard, with its message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_the_overview_sends_the_new_version_to_who_has_not_acknowledged(
    demo, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    html = client.get(reverse("volunteering_index")).content.decode()
    assert demo.programme.title in html
    missing = volunteer_services.programme_overview(programme=demo.programme)["missing"]
    assert missing > 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteering_index"), {"programme": demo.programme.pk})
    assert 0 < len(mail.outbox) <= missing


def test_the_command_sends_the_links_once_per_missing_volunteer(
    demo, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    missing = volunteer_services.programme_overview(programme=demo.programme)["missing"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_volunteer_note", stdout=out)
    assert f"{missing} links queued" in out.getvalue()
    assert len(mail.outbox) == missing


def test_a_translation_behind_the_version_in_force_is_not_offered(volunteer, client):
    from buddypages.duos.eligibility import volunteers_blocked

    note = note_of(volunteer)
    translate_note(note, "ar", "مذكرة قديمة")
    note.version += 1
    note.save()
    current = volunteer_services.note_current(programme_key=volunteer.programme_key, language="ar")
    # The Arabic text still says the old version: the volunteer reads the one in force.
    assert (current.note.pk, current.fallback) == (note.pk, True)
    response = client.post(link_path(volunteer, "ar"), {"read": "yes"})
    assert response.status_code in (200, 302)
    blocked = volunteers_blocked([volunteer.pk], programme_key=volunteer.programme_key)
    assert "note_not_acknowledged" not in blocked.get(volunteer.pk, [])


def test_a_malformed_programme_on_the_overview_is_refused_without_an_error(demo):
    response = login("coordinator").post(
        reverse("volunteering_index"), {"programme": "abc", "action": "send"}
    )
    # Not found (the admin's 404 reaches a logged-in user as a redirect to its language).
    assert response.status_code in (302, 404)
    assert not mail.outbox
