"""The next basic training in the newsletter, for volunteers who still miss it (and nobody
else), through the real send path: the outbox, the task queue and anymail's test backend."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale

from buddypages.calendar.occurrences import TIMEZONE, occurrences
from buddypages.calendar.pages import ActivityPage
from buddypages.duos.models import MatchWeights
from buddypages.registry.volunteering import TrainingAttendance
from newsletter import outbox
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_renderers():
    """The outbox keeps one renderer per send in the process; a rolled-back test database
    gives the next test's send the same number."""
    outbox._renderers.clear()
    yield
    outbox._renderers.clear()


HEADING = {"nl": "Jouw basisvorming", "ar": "تدريبك الأساسي"}


@pytest.fixture
def basic(demo):
    """The demo's basic training (Dutch), monthly; its first date is past."""
    return ActivityPage.objects.get(slug="basisvorming-vrijwilligers", locale__language_code="nl")


@pytest.fixture
def people(demo, basic):
    def volunteer(name, language):
        return participant(
            demo.programme,
            role="volunteer",
            status="waiting",
            first_name=name,
            last_name="Vorming",
            preferred_language=language,
            email=f"{name.lower()}@example.net",
            newsletter_status="confirmed",
        )

    trained = volunteer("Getraind", "nl")
    TrainingAttendance.objects.create(
        participant=trained,
        activity=basic,
        activity_key=basic.translation_key,
        occurrence_start=basic.start,
        topic="basic",
        title=basic.title,
        minutes=150,
    )
    return {
        "nl": volunteer("Lotte", "nl"),
        "ar": volunteer("Samir", "ar"),
        "trained": trained,
        "newcomer": participant(
            demo.programme,
            role="newcomer",
            status="waiting",
            preferred_language="nl",
            email="nieuwkomer@example.net",
        ),
    }


def requires_basic_training(programme, value=True):
    MatchWeights.objects.update_or_create(
        programme_key=programme.translation_key, defaults={"requires_basic_training": value}
    )


def send(issue, capture):
    with capture(execute=True):
        outbox.send_start(issue=issue, audiences=["volunteers", "newcomers"])
    return {message.to[0]: message for message in mail.outbox}


def html_of(message):
    return message.alternatives[0][0]


def test_volunteers_who_miss_the_basic_training_get_its_next_date(
    demo, issue, basic, people, django_capture_on_commit_callbacks
):
    requires_basic_training(demo.programme)
    now = timezone.now()
    [following] = [
        o for o in occurrences(basic, after=now, before=now + timedelta(days=60)) if o.start > now
    ][:1]
    start = following.start.astimezone(TIMEZONE)
    messages = send(issue, django_capture_on_commit_callbacks)

    lotte = messages["lotte@example.net"]
    with translation.override("nl"):
        day = date_format(start.date(), "l j F Y")
    for body in (lotte.body, html_of(lotte)):
        assert HEADING["nl"] in body
        assert day in body
        assert f"{start:%H:%M}" in body
        assert "Administratief Centrum Heidestad" in body
        assert "/nl/activiteiten/basisvorming-vrijwilligers/" in body

    samir = messages["samir@example.net"]
    ar_url = basic.get_translation(Locale.objects.get(language_code="ar")).url
    for body in (samir.body, html_of(samir)):
        assert HEADING["ar"] in body
        assert ar_url in body
        assert HEADING["nl"] not in body

    # The text version has the block between the greeting and the content, not glued to them.
    assert f"\n\n{HEADING['nl']}\n" in lotte.body


def test_nobody_else_sees_it(demo, issue, people, django_capture_on_commit_callbacks):
    requires_basic_training(demo.programme)
    messages = send(issue, django_capture_on_commit_callbacks)
    for address in ("getraind@example.net", "nieuwkomer@example.net"):
        message = messages[address]
        assert HEADING["nl"] not in message.body
        assert HEADING["nl"] not in html_of(message)
        assert "%%" not in message.body
        assert "%%" not in html_of(message)


def test_a_programme_that_does_not_require_it_suggests_nothing(
    demo, issue, people, django_capture_on_commit_callbacks
):
    requires_basic_training(demo.programme, value=False)
    messages = send(issue, django_capture_on_commit_callbacks)
    assert messages["lotte@example.net"].body.count(HEADING["nl"]) == 0
    assert "%%" not in html_of(messages["lotte@example.net"])
    assert all(HEADING["ar"] not in html_of(message) for message in messages.values())
