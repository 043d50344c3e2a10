"""Every email of the site names the site's own domain in its Message-ID, never localhost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from buddypages.core.mail import message_id
from tests.buddypages.registry.helpers import participant


@pytest.mark.parametrize(
    ("base_url", "from_email", "domain"),
    [
        ("https://buddy.example.org", "Buddy <hallo@gemeente.example>", "buddy.example.org"),
        ("http://127.0.0.1:8000", "Buddy <hallo@gemeente.example>", "gemeente.example"),
        ("http://localhost:8000", "hallo@gemeente.example", "gemeente.example"),
        ("http://127.0.0.1:8000", "buddywerking@localhost", "127.0.0.1"),
    ],
)
def test_the_message_id_names_the_sites_domain(settings, base_url, from_email, domain):
    settings.WAGTAILADMIN_BASE_URL = base_url
    settings.DEFAULT_FROM_EMAIL = from_email
    first, second = message_id(), message_id()
    assert first.startswith("<")
    assert first.endswith(f"@{domain}>")
    assert first != second


def test_the_sender_given_is_the_fallback(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    assert message_id("Nieuwsbrief <nb@stad.example>").endswith("@stad.example>")


@pytest.mark.django_db
def test_sign_up_duo_and_reminder_emails_carry_the_sites_message_id(demo, settings):
    from django.contrib.auth import get_user_model

    from buddypages.duos.emails import duo_emails_send, feedback_reminder_send
    from buddypages.duos.models import Duo
    from buddypages.registry.emails import registration_email_send

    settings.WAGTAILADMIN_BASE_URL = "https://buddy.example.org"
    newcomer = participant(demo.programme, role="newcomer", status="active")
    volunteer = participant(demo.programme, role="volunteer", status="active")
    start = timezone.localdate() - timedelta(days=100)
    end, midway = Duo.planned_dates(start, 6)
    duo = Duo.objects.create(
        programme=demo.programme,
        programme_key=demo.programme.translation_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=start,
        planned_end=end,
        feedback_due=midway,
    )
    get_user_model().objects.filter(username="coordinator").update(email="coord@example.net")
    mail.outbox = []

    registration_email_send(participant_id=newcomer.pk)
    duo_emails_send(duo_id=duo.pk, kind="introduction")
    assert feedback_reminder_send() >= 1

    assert len(mail.outbox) >= 4
    for message in mail.outbox:
        assert message.message()["Message-ID"].endswith("@buddy.example.org>"), message.subject
