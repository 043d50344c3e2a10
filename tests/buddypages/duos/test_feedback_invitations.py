"""Members are invited by email when a feedback moment opens: once per member and moment,
in their language, with the link to their form; through the nightly task."""

import re
import threading
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from buddypages.duos.models import Duo, FeedbackMoment
from buddypages.duos.moments import MOMENT_TITLES, feedback_invitations_send
from buddypages.duos.plans import GoalRow, feedback_submit, plan_set
from buddypages.duos.tasks import remind_feedback_due
from buddypages.registry.models import Participant, RegistryAuditEvent
from tests.buddypages.duos.test_plans import make_duo
from tests.buddypages.registry.helpers import participant
from tests.newsletter.test_spam_score import MAX_SCORE, spam_report

LINK = re.compile(r"https?://\S+/duo/\S+/feedback/(?:midway|end)/")


def run_task() -> None:
    remind_feedback_due.enqueue()


def invitations(duo: Duo) -> dict[str, mail.EmailMessage]:
    """The invitations in the outbox, by the member's role."""
    by_address = {duo.newcomer.email: "newcomer", duo.volunteer.email: "volunteer"}
    found = {}
    for message in mail.outbox:
        role = by_address.get(message.to[0])
        if role is not None:
            assert role not in found, f"two emails to the {role}"
            found[role] = message
    return found


def title(moment: str, language: str) -> str:
    with translation.override(language):
        return str(MOMENT_TITLES[moment])


@pytest.fixture(autouse=True)
def _demo_duos_already_invited(request):
    """The demo's own duos count as invited, so the figures here are this test's duo's
    (inside the test's transaction; the race test does the same with committed rows)."""
    if "committed_duos" in request.fixturenames:
        return
    request.getfixturevalue("demo")
    Duo.objects.update(midway_invited_at=timezone.now(), end_invited_at=timezone.now())


@pytest.fixture
def duo(pair):
    """Past the midway date, with a plan: the midway moment is open."""
    duo = make_duo(pair)
    plan_set(duo=duo, goals=[GoalRow(key="doctor")], user=None)
    return duo


def test_each_member_is_invited_once_in_their_language_with_a_link_that_opens_the_form(duo):
    run_task()
    sent = invitations(duo)
    assert set(sent) == {"newcomer", "volunteer"}
    newcomer, volunteer = sent["newcomer"], sent["volunteer"]  # Arabic, Dutch

    assert newcomer.subject == title("midway", "ar")
    assert "كيف تسير الأمور مع" in newcomer.body
    assert "Griet" in newcomer.body
    assert volunteer.subject == "Halfweg: hoe gaat het?" == title("midway", "nl")
    assert (
        "Hoe gaat het met Nadia? Antwoord met gezichtjes, het duurt twee minuten." in volunteer.body
    )
    # Nothing else personal: no last names, no other member's address.
    for message in (newcomer, volunteer):
        text = message.body + message.alternatives[0][0]
        assert "Testnieuw" not in text
        assert "Testvrijwillig" not in text
        assert duo.volunteer.email not in newcomer.body

    html, mimetype = newcomer.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="ar" dir="rtl">' in html
    # The link reads left to right inside the Arabic text, and wraps on a phone.
    assert re.search(r'<a href="[^"]+/feedback/midway/" dir="ltr" style="overflow-wrap', html)

    for role, message, language in (("newcomer", newcomer, "ar"), ("volunteer", volunteer, "nl")):
        (link,) = set(LINK.findall(message.body))
        assert f"/{language}/duo/" in link
        assert link in message.alternatives[0][0]
        page = Client().get(urlsplit(link).path)
        assert page.status_code == 200, role
        assert f"<h1>{title('midway', language)}</h1>" in page.content.decode()

    duo.refresh_from_db()
    assert duo.midway_invited_at is not None
    assert duo.end_invited_at is None

    mail.outbox = []
    run_task()
    assert invitations(duo) == {}, "a second run sends nothing"


def test_a_member_who_answered_is_not_invited(duo):
    feedback_submit(duo=duo, role="volunteer", moment="midway", overall=4, ratings={})
    assert feedback_invitations_send() == 1
    assert set(invitations(duo)) == {"newcomer"}


def test_a_member_without_an_email_address_is_not_invited(duo):
    type(duo.newcomer).objects.filter(pk=duo.newcomer_id).update(email="")
    run_task()
    assert set(invitations(duo)) == {"volunteer"}


def test_nobody_is_invited_before_the_moment_opens(pair):
    duo = make_duo(pair, days_in=10)
    assert feedback_invitations_send() == 0
    duo.refresh_from_db()
    assert duo.midway_invited_at is None
    # The day it opens, it goes out.
    assert feedback_invitations_send(today=duo.feedback_due) == 2


def test_a_duo_stopped_early_gets_no_invitation(pair):
    duo = make_duo(pair, status=Duo.Status.STOPPED, ended_on=timezone.localdate())
    run_task()
    assert invitations(duo) == {}
    duo.refresh_from_db()
    assert duo.midway_invited_at is None
    assert duo.end_invited_at is None


def test_the_end_moment_after_completion(pair):
    duo = make_duo(pair, days_in=150, status=Duo.Status.COMPLETED, ended_on=timezone.localdate())
    run_task()
    sent = invitations(duo)
    assert set(sent) == {"newcomer", "volunteer"}
    assert sent["volunteer"].subject == title(FeedbackMoment.END, "nl")
    assert "Hoe ging het met" in sent["volunteer"].body
    assert "/feedback/end/" in sent["volunteer"].body
    duo.refresh_from_db()
    assert duo.end_invited_at is not None
    assert duo.midway_invited_at is None, "the midway moment closed when the duo completed"

    mail.outbox = []
    run_task()
    assert invitations(duo) == {}


def test_a_running_duo_is_invited_to_both_moments_once_each(pair):
    duo = make_duo(pair)
    assert feedback_invitations_send() == 2
    end_opens = duo.planned_end - timedelta(days=14)
    assert feedback_invitations_send(today=end_opens - timedelta(days=1)) == 0
    mail.outbox = []
    assert feedback_invitations_send(today=end_opens) == 2
    assert all("/feedback/end/" in message.body for message in mail.outbox)
    assert feedback_invitations_send(today=end_opens + timedelta(days=3)) == 0


DUOS_IN_RACE = 12


@pytest.fixture
def committed_duos(_demo_loaded, django_db_blocker):
    """Committed duos past their midway date (threads see only committed rows); every
    duo's invitations put back as they were afterwards."""
    key = uuid.uuid4()
    with django_db_blocker.unblock():
        before = list(Duo.objects.values_list("pk", "midway_invited_at", "end_invited_at"))
        Duo.objects.update(midway_invited_at=timezone.now(), end_invited_at=timezone.now())
        start = timezone.localdate() - timedelta(days=100)
        end, midway = Duo.planned_dates(start, 6)
        duos = []
        for n in range(DUOS_IN_RACE):
            newcomer, volunteer = (
                participant(
                    _demo_loaded.programme,
                    first_name=f"Race{n}",
                    last_name="Testuitnodiging",
                    programme_key=key,
                    role=role,
                    status="active",
                    email=f"race-invite-{key}-{n}-{role}@example.net",
                    ready=False,
                )
                for role in ("newcomer", "volunteer")
            )
            duos.append(
                Duo.objects.create(
                    programme_key=key,
                    newcomer=newcomer,
                    volunteer=volunteer,
                    start_date=start,
                    planned_end=end,
                    feedback_due=midway,
                )
            )
    yield duos
    with django_db_blocker.unblock():
        refs = list(Participant.objects.filter(programme_key=key).values_list("pk", flat=True))
        Participant.objects.filter(pk__in=refs).delete()  # their duos go with them
        RegistryAuditEvent.objects.filter(participant_ref__in=refs).delete()
        for pk, midway_at, end_at in before:
            Duo.objects.filter(pk=pk).update(midway_invited_at=midway_at, end_invited_at=end_at)


def test_workers_running_at_the_same_moment_send_each_invitation_once(
    committed_duos, django_db_blocker
):
    workers = 4
    barrier = threading.Barrier(workers)
    counts, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            with django_db_blocker.unblock():
                counts.append(feedback_invitations_send())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 2 * DUOS_IN_RACE
    for duo in committed_duos:
        assert set(invitations(duo)) == {"newcomer", "volunteer"}  # once each


@pytest.mark.parametrize("role", ["newcomer", "volunteer"])  # Arabic, Dutch
def test_the_invitation_trips_no_spamassassin_content_rule(duo, settings, role):
    settings.WAGTAILADMIN_BASE_URL = "https://buddywerking.example.org"
    settings.DEFAULT_FROM_EMAIL = "Buddywerking <buddy@buddywerking.example.org>"
    feedback_invitations_send()
    score, rules = spam_report(invitations(duo)[role].message().as_bytes())
    hits = "\n".join(f"{points:6.3f} {name}: {description}" for points, name, description in rules)
    assert score < MAX_SCORE, f"SpamAssassin score {score}, rules hit:\n{hits}"
