"""Volunteer trainings: attendance from the sign-ups, who misses the basic training, the
coordinator's screens, the volunteer's page, export and erasure."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import aware
from buddypages.calendar.pages import ActivityPage
from buddypages.registry import training
from buddypages.registry.data_protection import participant_erase, participant_export
from buddypages.registry.models import RegistryAuditEvent
from buddypages.registry.volunteering import TrainingAttendance
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_training(calendar, *, topic="basic", days=-7, slug="test-vorming", hours=(19, 21)):
    day = timezone.localdate() + timedelta(days=days)
    page = ActivityPage(
        title="Testvorming",
        slug=slug,
        locale=calendar.locale,
        kind="volunteer_training",
        training_topic=topic,
        audience="volunteers",
        start=aware(datetime.combine(day, time(hours[0], 0))),
        end=aware(datetime.combine(day, time(hours[1], 30))),
        capacity=20,
        place_name="Zaal De Test",
    )
    calendar.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def signup(activity, *, name, email, status=ActivitySignup.CONFIRMED):
    return ActivitySignup.objects.create(
        activity=activity,
        occurrence_start=activity.start,
        name=name,
        email=email,
        language="nl",
        status=status,
    )


@pytest.fixture
def coordinator(demo):
    return get_user_model().objects.get(username="coordinator")


@pytest.fixture
def basic(demo):
    return make_training(demo.calendar)


@pytest.fixture
def volunteer(demo):
    return participant(
        demo.programme,
        role="volunteer",
        status="waiting",
        first_name="Griet",
        last_name="Vormingstest",
        email="Griet.Vorming@Example.net",
    )


def record(activity, person, user, **kwargs):
    return training.training_attendance_set(
        activity=activity,
        occurrence_start=activity.start,
        participant=person,
        attended=kwargs.pop("attended", True),
        user=user,
        **kwargs,
    )


# --- Who misses the basic training --------------------------------------------------------


def test_only_a_basic_training_counts(demo, basic, volunteer, coordinator):
    other = make_training(demo.calendar, topic="little_dutch", slug="weinig-nederlands")
    trained = participant(demo.programme, role="volunteer", status="waiting")
    newcomer = participant(demo.programme, role="newcomer", status="waiting")
    record(other, volunteer, coordinator)
    record(basic, trained, coordinator)
    pks = [volunteer.pk, trained.pk, newcomer.pk]
    assert training.volunteers_without_basic_training(pks) == {volunteer.pk}
    record(basic, volunteer, coordinator)
    assert training.volunteers_without_basic_training(pks) == set()
    assert training.volunteers_without_basic_training([]) == set()


# --- Recording -------------------------------------------------------------------------------


def test_a_sign_up_is_matched_by_address_whatever_its_case(basic, volunteer, coordinator):
    came = signup(basic, name="Griet V.", email="griet.vorming@EXAMPLE.NET")
    sheet = training.date_sheet(basic, training.training_occurrence(basic, basic.start))
    [row] = sheet.rows
    assert row.volunteer == volunteer
    assert not row.problem
    assert row.attendance is None

    attendance = record(basic, volunteer, coordinator, signup=came)
    assert attendance.topic == "basic"
    assert attendance.title == "Testvorming"
    assert attendance.minutes == 150  # 19:00 to 21:30
    assert attendance.activity_key == basic.translation_key
    assert attendance.signup == came
    assert attendance.recorded_by == coordinator
    event = RegistryAuditEvent.objects.filter(participant_ref=volunteer.pk).first()
    assert event.username == "coordinator"
    assert "training attended" in event.detail

    # A second click changes nothing; undo takes it back, and says so in the log.
    assert record(basic, volunteer, coordinator, signup=came) == attendance
    assert TrainingAttendance.objects.filter(participant=volunteer).count() == 1
    assert record(basic, volunteer, coordinator, attended=False) is None
    assert not TrainingAttendance.objects.filter(participant=volunteer).exists()
    assert "removed" in RegistryAuditEvent.objects.filter(participant_ref=volunteer.pk)[0].detail


def test_a_sign_up_of_nobody_known_is_shown_with_the_reason(demo, basic, volunteer):
    newcomer = participant(demo.programme, role="newcomer", email="nieuw@example.net")
    gone = participant(demo.programme, role="volunteer", email="weg@example.net")
    gone.anonymised_at = timezone.now()
    gone.save()
    signup(basic, name="Onbekend", email="onbekend@example.net")
    signup(basic, name="Nieuwkomer", email=newcomer.email)
    signup(basic, name="Weg", email="weg@example.net")
    sheet = training.date_sheet(basic, training.training_occurrence(basic, basic.start))
    problems = {row.signup.name: row.problem for row in sheet.rows}
    assert all(row.volunteer is None for row in sheet.rows)
    assert "No volunteer in the registry" in problems["Onbekend"]
    assert "newcomer" in problems["Nieuwkomer"]
    assert "No volunteer in the registry" in problems["Weg"]
    assert volunteer in sheet.addable
    assert gone not in sheet.addable


def test_what_cannot_be_recorded_is_refused_with_a_reason(demo, basic, volunteer, coordinator):
    coming = make_training(demo.calendar, days=5, slug="later")
    with pytest.raises(training.TrainingError, match="not started yet"):
        record(coming, volunteer, coordinator)
    newcomer = participant(demo.programme, role="newcomer")
    with pytest.raises(training.TrainingError, match="Only a volunteer"):
        record(basic, newcomer, coordinator)
    with pytest.raises(training.TrainingError, match="no such date"):
        training.training_attendance_set(
            activity=basic,
            occurrence_start=basic.start + timedelta(days=1),
            participant=volunteer,
            attended=True,
            user=coordinator,
        )
    someone_else = signup(basic, name="Ander", email="ander@example.net")
    with pytest.raises(training.TrainingError, match="not for this date or this volunteer"):
        record(basic, volunteer, coordinator, signup=someone_else)
    assert not TrainingAttendance.objects.filter(participant=volunteer).exists()


# --- The coordinator's screens ------------------------------------------------------------


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_coordinator_records_a_sign_up_and_a_walk_in(demo, basic, volunteer):
    came = signup(basic, name="Griet V.", email=volunteer.email)
    walk_in = participant(
        demo.programme, role="volunteer", status="waiting", first_name="Zonder", last_name="Inschr"
    )
    client = client_for("coordinator")
    index = client.get("/admin/trainings/")
    assert index.status_code == 200
    url = f"/admin/trainings/{basic.pk}/{int(basic.start.timestamp())}/"
    assert url in index.content.decode()

    page = client.get(url).content.decode()
    assert "Griet V." in page
    assert "Griet</bdi> was er" in page  # the admin speaks Dutch here

    response = client.post(url, {"volunteer": volunteer.pk, "signup": came.pk, "action": "came"})
    assert response.status_code == 302
    response = client.post(url, {"volunteer": walk_in.pk, "action": "came"})
    assert response.status_code == 302
    recorded = TrainingAttendance.objects.filter(activity_key=basic.translation_key)
    assert set(recorded.values_list("participant", flat=True)) == {volunteer.pk, walk_in.pk}
    assert recorded.get(participant=volunteer).signup == came

    page = client.get(url).content.decode()
    assert "2 vrijwilligers waren er." in page
    assert "Zonder Inschr" in page

    client.post(url, {"volunteer": walk_in.pk, "action": "undo"})
    assert not recorded.filter(participant=walk_in).exists()


def test_bad_input_gets_a_message_not_an_error(basic):
    client = client_for("coordinator")
    url = f"/admin/trainings/{basic.pk}/{int(basic.start.timestamp())}/"
    response = client.post(url, {"volunteer": "abc", "action": "came"}, follow=True)
    assert response.status_code == 200
    assert "Kies een vrijwilliger." in response.content.decode()
    # Not found (Django's LocaleMiddleware may answer a 404 with its redirect).
    for stamp in ("99999999999999", "12345"):
        response = client.get(f"/admin/trainings/{basic.pk}/{stamp}/")
        assert response.status_code in (302, 404)


def test_editors_never_see_the_attendance(basic):
    client = client_for("editor")
    assert client.get("/admin/trainings/").status_code in (302, 403)
    url = f"/admin/trainings/{basic.pk}/{int(basic.start.timestamp())}/"
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"volunteer": 1, "action": "came"}).status_code in (302, 403)
    assert not TrainingAttendance.objects.filter(activity_key=basic.translation_key).exists()


def test_the_volunteers_page_shows_the_trainings_attended(basic, volunteer, coordinator):
    client = client_for("coordinator")
    page = client.get(f"/admin/participants/inspect/{volunteer.pk}/").content.decode()
    assert "Nog geen vorming gevolgd." in page
    assert "Nog geen basisvorming." in page
    record(basic, volunteer, coordinator)
    page = client.get(f"/admin/participants/inspect/{volunteer.pk}/").content.decode()
    assert "Gevolgde vormingen" in page
    assert "Testvorming" in page
    assert "Basisvorming voor nieuwe vrijwilligers" in page
    assert "In totaal 2,5 uur vorming." in page
    assert "Nog geen basisvorming." not in page


# --- Export and erasure -------------------------------------------------------------------


def test_export_lists_the_trainings_and_erasure_removes_them(basic, volunteer, coordinator):
    record(basic, volunteer, coordinator)
    data = participant_export(participant=volunteer, user=coordinator)
    [row] = data["trainings"]
    assert (row["training"], row["topic"], row["minutes"]) == ("Testvorming", "basic", 150)
    participant_erase(participant=volunteer, user=coordinator)
    assert not TrainingAttendance.objects.filter(activity_key=basic.translation_key).exists()


# --- Demo ---------------------------------------------------------------------------------


def test_the_demo_has_two_trainings_and_who_came(demo):
    from wagtail.models import Locale

    from buddysite.demo.trainings import ensure_trainings

    pages = ActivityPage.objects.filter(
        kind="volunteer_training", training_topic__in=["basic", "little_dutch"]
    )
    assert {page.locale.language_code for page in pages} >= {"nl", "en", "fr", "ar"}
    basic = pages.get(training_topic="basic", locale__language_code="nl")
    count = TrainingAttendance.objects.filter(activity_key=basic.translation_key).count()
    assert count >= 4
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    ensure_trainings(demo.programme, demo.calendar, locales)
    assert pages.count() == len(pages)  # no page added
    assert TrainingAttendance.objects.filter(activity_key=basic.translation_key).count() == count


def test_only_a_volunteer_training_takes_a_topic(demo):
    from django.core.exceptions import ValidationError

    start = timezone.now()
    page = ActivityPage(
        title="Café", kind="buddy_cafe", training_topic="basic", start=start, end=start
    )
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert "only for a volunteer training" in str(refused.value.message_dict["training_topic"])
    page.kind = "volunteer_training"
    page.clean()
    assert page.is_basic_training
