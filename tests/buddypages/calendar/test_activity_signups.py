from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from buddypages.calendar.occurrences import TIMEZONE
from buddypages.calendar.services import SignupError, activity_signup_cancel, activity_signup_create
from buddypages.models import ActivitySignup
from tests.buddypages import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(demo):
    calendar = factories.calendar(factories.home_page("ar"), slug="test-kalender")
    start = factories.next_day_at(14)
    return factories.activity(
        calendar, "Wandeling", start, start + timedelta(hours=2), slug="wandeling", capacity=3
    )


def post_signup(client, activity, **data):
    form = {
        "occurrence": activity.start.astimezone(TIMEZONE).isoformat(),
        "name": "Samira",
        "email": "samira@example.org",
        "places": "1",
        "website": "",
    }
    form.update(data)
    return client.post(activity.url + "signup/", form)


def test_sign_up_confirms_and_emails_in_the_visitors_language(
    client, walk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client, walk)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    signup = ActivitySignup.objects.get(activity=walk)
    assert (signup.status, signup.language, signup.places) == ("confirmed", "ar", 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira@example.org"]
    assert f"cancel/{signup.token}/" in message.body
    html = message.alternatives[0][0]
    assert 'lang="ar" dir="rtl"' in html


def test_full_activity_puts_people_on_the_waiting_list_and_cancelling_promotes(
    walk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        duo = factories.sign_up(walk, "duo@example.org", places=2)
        single = factories.sign_up(walk, "ann@example.org")
        late = factories.sign_up(walk, "olena@example.org", language="uk")
    assert [duo.status, single.status, late.status] == ["confirmed", "confirmed", "waiting"]
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        activity_signup_cancel(token=single.token)
    late.refresh_from_db()
    assert late.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]
    with translation.override("uk"):
        expected = translation.gettext("A place came free, you can come: %(title)s")
    assert mail.outbox[0].subject == expected % {"title": "Wandeling"}
    assert expected != "A place came free, you can come: %(title)s"  # really Ukrainian


def test_a_replayed_cancel_link_gets_a_clear_message(client, walk):
    signup = factories.sign_up(walk, "ann@example.org", language="ar")
    url = f"{walk.url}cancel/{signup.token}/"
    assert client.get(url).status_code == 200  # a mail scanner's GET cancels nothing
    signup.refresh_from_db()
    assert signup.status == "confirmed"
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 200
    assert 'role="alert"' in again.content.decode()
    with pytest.raises(SignupError):
        activity_signup_cancel(token=signup.token)


def test_bad_email_and_past_dates_get_messages_not_errors(client, walk):
    response = post_signup(client, walk, email="not-an-email")
    assert response.status_code == 400
    assert 'class="form-error"' in response.content.decode()
    past = walk.start - timedelta(days=30)
    with pytest.raises(SignupError):
        activity_signup_create(
            activity=walk,
            occurrence_start=past,
            name="A",
            email="a@example.org",
            places=1,
            language="nl",
        )
    response = post_signup(client, walk, occurrence=past.isoformat())
    assert response.status_code == 400
    assert not ActivitySignup.objects.filter(activity=walk).exists()


def test_signing_up_twice_keeps_one_sign_up(walk):
    first = factories.sign_up(walk, "Ann@Example.org")
    second = factories.sign_up(walk, "ann@example.org")
    assert first.pk == second.pk


def test_only_coordinators_see_and_export_sign_ups(client, walk):
    factories.sign_up(walk, "ann@example.org")
    client.force_login(get_user_model().objects.get(username="editor"))
    assert client.get("/admin/activity_signups/").status_code in {302, 403}
    client.force_login(get_user_model().objects.get(username="coordinator"))
    listing = client.get("/admin/activity_signups/")
    assert listing.status_code == 200
    assert "Ann" in listing.content.decode()
    other = factories.activity(
        walk.get_parent(), "Ander", walk.start, walk.end, slug="ander", capacity=5
    )
    activity_signup_create(
        activity=other,
        occurrence_start=walk.start,
        name="Bram",
        email="bram@example.org",
        places=1,
        language="nl",
    )
    per_activity = client.get("/admin/activity_signups/", {"activity": walk.pk}).content.decode()
    assert "Ann" in per_activity
    assert "Bram" not in per_activity
    export = client.get("/admin/activity_signups/", {"export": "csv", "activity": walk.pk})
    assert export.status_code == 200
    exported = b"".join(export.streaming_content).decode()
    assert "ann@example.org" in exported
    assert "bram@example.org" not in exported
    api = client.get(f"/api/v2/pages/{walk.pk}/", {"fields": "*"}).json()
    assert api["capacity"] == 3
    assert "ann@example.org" not in str(api)


def test_translations_of_an_activity_share_its_places(demo, django_capture_on_commit_callbacks):
    from buddypages.models import ActivityPage

    dutch = ActivityPage.objects.get(locale__language_code="nl", slug="wandeling-oude-stad")
    arabic = ActivityPage.objects.get(locale__language_code="ar", slug="wandeling-oude-stad")
    assert dutch.capacity == arabic.capacity == 10
    start = dutch.upcoming_occurrences(limit=1)[0].start
    statuses = []
    for number, page in enumerate([dutch] * 3 + [arabic] * 2):
        statuses.append(
            activity_signup_create(
                activity=page,
                occurrence_start=start,
                name=f"Duo {number}",
                email=f"duo{number}@example.org",
                places=2,
                language=page.locale.language_code,
            ).status
        )
    late = activity_signup_create(
        activity=arabic,
        occurrence_start=start,
        name="Late",
        email="late@example.org",
        places=1,
        language="ar",
    )
    assert statuses == ["confirmed"] * 5
    assert late.status == "waiting"


def test_cancelling_after_the_places_were_removed_is_no_error(walk):
    signup = factories.sign_up(walk, "ann@example.org")
    walk.capacity = None
    walk.save_revision().publish()
    cancelled = activity_signup_cancel(token=signup.token)
    assert cancelled.status == "cancelled"
