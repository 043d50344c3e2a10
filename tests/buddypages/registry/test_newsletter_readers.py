"""Newsletter-only readers: anyone may ask for the newsletter. An unknown address becomes a
reader (an address and a language, no name), who gets nothing until they confirm, is never
counted or matched with newcomers and volunteers, and is forgotten when they never confirm or
stop the newsletter."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Site

from buddypages.duos.admin import DuoDashboardPanel
from buddypages.duos.selectors import NEWSLETTER_AUDIENCES, newsletter_audience
from buddypages.duos.services import cohort_for
from buddypages.registry.data_protection import retention_apply
from buddypages.registry.models import Consent, Participant, RegistryAuditEvent
from buddypages.registry.services import newsletter_subscribe, participant_newsletter_withdraw
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.gemeente.be"


def ask(email, language="fr", **options):
    return newsletter_subscribe(
        email=email,
        language=language,
        site=Site.objects.get(is_default_site=True),
        method=Consent.Method.API,
        origin=ORIGIN,
        **options,
    )


def audiences_of(person) -> set[str]:
    return {
        name
        for name in NEWSLETTER_AUDIENCES
        if newsletter_audience(name).filter(pk=person.pk).exists()
    }


def confirm_link(message) -> str:
    link = next(word for word in message.body.split() if "/newsletter/confirm/" in word)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def reader(demo, email, **fields):
    defaults = {
        "role": "reader",
        "status": "",
        "first_name": "",
        "last_name": "",
        "email": email,
        "newsletter_status": "pending",
    }
    return participant(demo.programme, **{**defaults, **fields})


def test_an_unknown_address_becomes_a_reader_who_confirms_in_its_own_language(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask("Leen.Buur@Example.net", language="fr")
    person = Participant.objects.get(email="leen.buur@example.net")
    assert person.role == "reader"
    assert person.preferred_language == "fr"
    assert person.programme == demo.programme  # the site's programme, in Dutch
    with translation.override("en"):
        assert str(person) == "Newsletter only"
    assert person.newsletter_status == "pending"
    assert not person.consents.exists()
    assert audiences_of(person) == set()  # nothing before they confirm

    [message] = mail.outbox
    assert message.to == ["leen.buur@example.net"]
    with translation.override("fr"):
        subject = translation.gettext("Confirm that you want the newsletter")
    assert message.subject == subject != "Confirm that you want the newsletter"
    assert 'lang="fr"' in message.alternatives[0][0]

    browser = Client()
    browser.get(confirm_link(message))
    assert browser.post(confirm_link(message)).status_code == 200
    person.refresh_from_db()
    assert person.newsletter_status == "confirmed"
    consent = person.consents.get()
    assert (consent.purpose, consent.given) == ("newsletter", True)
    assert (consent.method, consent.origin, consent.language) == ("api", ORIGIN, "fr")
    assert audiences_of(person) == {"subscribers", "everyone"}


def test_asking_again_sends_the_link_again_until_confirmed(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask("twice@example.net", language="ar")
    first = Participant.objects.get(email="twice@example.net")
    Participant.objects.filter(pk=first.pk).update(
        last_signup_at=timezone.now() - timedelta(days=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        ask("twice@example.net", language="nl")
    assert [m.to for m in mail.outbox] == [["twice@example.net"]] * 2
    again = Participant.objects.get(email="twice@example.net")  # still one row
    assert again.preferred_language == "nl"
    # A new link is valid for 30 days from now: the reader is kept as long.
    assert timezone.now() - again.last_signup_at < timedelta(days=1)

    Client().post(confirm_link(mail.outbox[-1]))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        ask("twice@example.net")
    assert mail.outbox == []  # already receiving it
    assert Participant.objects.filter(email="twice@example.net").count() == 1


def test_someone_who_signed_up_stays_who_they_are(demo, django_capture_on_commit_callbacks):
    volunteer = participant(demo.programme, role="volunteer", email="vera@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        ask("vera@example.net")
    assert list(Participant.objects.filter(email="vera@example.net")) == [volunteer]
    assert [m.to for m in mail.outbox] == [["vera@example.net"]]


def test_readers_are_not_in_the_dashboard_or_matching(demo):
    before = DuoDashboardPanel(user=get_user_model()(is_superuser=True)).get_context_data()
    # Even a reader someone put on "waiting" (an import, a slip) is not counted or matched.
    odd = reader(
        demo,
        "odd@example.net",
        status="waiting",
        waiting_since=timezone.now(),
        neighbourhood="Stationswijk",
        newsletter_status="confirmed",
    )
    odd.spoken_languages.create(code="ar")
    reader(demo, "plain@example.net")
    after = DuoDashboardPanel(user=get_user_model()(is_superuser=True)).get_context_data()
    for figure in ("newcomers_waiting", "volunteers_waiting", "languages", "places"):
        assert after[figure] == before[figure], figure
    cohort = cohort_for(demo.programme.translation_key)
    matched = {p.pk for p in cohort.newcomers + cohort.volunteers}
    assert odd.pk not in matched
    waiting = Participant.objects.filter(programme_key=demo.programme.translation_key)
    assert set(cohort.newcomers) == set(waiting.filter(role="newcomer", status="waiting")) != set()
    assert not Participant.objects.awaiting_match().filter(role="reader").exists()
    assert audiences_of(odd) == {"subscribers", "everyone"}


def test_retention_forgets_readers_who_never_confirmed_after_30_days(demo):
    now = timezone.now()
    stale = reader(demo, "stale@example.net", last_signup_at=now - timedelta(days=31))
    fresh = reader(demo, "fresh@example.net", last_signup_at=now - timedelta(days=29))
    loyal = reader(
        demo,
        "loyal@example.net",
        newsletter_status="confirmed",
        last_signup_at=now - timedelta(days=400),
    )
    counts = retention_apply(now=now)
    assert counts["removed"] >= 1
    assert not Participant.objects.filter(pk=stale.pk).exists()
    assert RegistryAuditEvent.objects.filter(
        participant_ref=stale.pk, action="remove_abandoned"
    ).exists()
    assert set(Participant.objects.filter(pk__in=[fresh.pk, loyal.pk])) == {fresh, loyal}


def test_the_reader_days_are_a_setting(demo, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "UNCONFIRMED_READER_DAYS": 7}
    week = reader(demo, "week@example.net", last_signup_at=timezone.now() - timedelta(days=8))
    retention_apply()
    assert not Participant.objects.filter(pk=week.pk).exists()


def test_a_reader_who_stops_is_anonymised_at_the_next_run_keeping_the_ledger(demo):
    person = reader(demo, "gone@example.net", newsletter_status="confirmed")
    Consent.objects.create(
        participant=person, purpose="newsletter", given=True, method="api", origin=ORIGIN
    )
    participant_newsletter_withdraw(participant=person, method=Consent.Method.UNSUBSCRIBE)
    retention_apply()
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert person.email == ""
    assert audiences_of(person) == set()
    assert list(person.consents.values_list("given", flat=True)) == [True, False]
    assert not Participant.objects.filter(email="gone@example.net").exists()


def test_coordinators_find_readers_with_the_role_filter(demo):
    person = reader(demo, "filter@example.net")
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="coordinator"))
    with translation.override("en"):
        listing = staff.get("/admin/participants/?role=reader", HTTP_ACCEPT_LANGUAGE="en")
    content = listing.content.decode()
    assert listing.status_code == 200
    assert f"/admin/participants/edit/{person.pk}/" in content
    assert "Newsletter only" in content
    # A reader has no intake, and their record and form show only what they have.
    with translation.override("en"):
        record = staff.get(f"/admin/participants/inspect/{person.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Asked, not confirmed yet" in record.content.decode()
    assert "Dutch level" not in record.content.decode()
    assert "Record the intake" not in record.content.decode()
    intake = staff.get(f"/admin/participants/intake/{person.pk}/", follow=True)
    assert intake.status_code == 404
    form = staff.get(f"/admin/participants/edit/{person.pk}/").content.decode()
    assert 'name="preferred_language"' in form
    assert 'name="new_status"' not in form
    assert 'name="hopes"' not in form
    edit = staff.post(
        f"/admin/participants/edit/{person.pk}/",
        {"first_name": "", "last_name": "", "email": person.email, "preferred_language": "ar"},
    )
    assert edit.status_code == 302, edit.content.decode()[-2000:]
    person.refresh_from_db()
    assert (person.preferred_language, person.status) == ("ar", "")


def test_stopping_stops_the_address_not_only_one_record(demo):
    """A reader who later signed up as a volunteer has two records; the unsubscribe link of
    either stops the newsletter for the address."""
    first = reader(demo, "both@example.net", newsletter_status="confirmed")
    later = participant(
        demo.programme, role="volunteer", email="both@example.net", newsletter_status="confirmed"
    )
    participant_newsletter_withdraw(participant=later, method=Consent.Method.UNSUBSCRIBE)
    first.refresh_from_db()
    assert first.newsletter_status == "withdrawn"
    assert first.consents.get().given is False
    for name in NEWSLETTER_AUDIENCES:
        assert not newsletter_audience(name).filter(email="both@example.net").exists(), name
