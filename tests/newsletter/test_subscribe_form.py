"""The "Get the newsletter" box on the archive page: the API's form and service, in HTML.

A valid answer sends the confirmation email in the chosen language and always leads to the
same thank-you page; a wrong answer comes back with its message next to the field, in the
page's language, and stores nothing."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from buddypages.registry.forms import started_token
from buddypages.registry.models import Consent, Participant
from tests.buddypages.registry.helpers import started_a_minute_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.BUDDY_REGISTRY = {**getattr(settings, "BUDDY_REGISTRY", {}), "RATE_LIMIT": 0}


def archive(code: str):
    from newsletter.models import NewsletterIndexPage

    return NewsletterIndexPage.objects.get(locale__language_code=code)


def answers(address: str, **overrides) -> dict:
    data = {
        "email": address,
        "preferred_language": "fr",
        "consent_newsletter": "on",
        "website": "",
        "started": started_a_minute_ago(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def in_language(code: str, message: str) -> str:
    with translation.override(code):
        return translation.gettext(message)


def test_the_archive_shows_the_box_in_its_language(people):
    page = archive("ar")
    html = Client().get(page.url).content.decode()
    assert in_language("ar", "Get the newsletter") in html
    assert f'action="{page.url}subscribe/#newsletter-subscribe"' in html
    assert '<option value="ar" selected>' in html  # the page's language, preselected
    assert (
        in_language(
            "ar", "Send me the newsletter. I can stop it at any time with the link in every issue."
        )
        in html
    )
    assert 'name="website"' in html
    assert 'name="started"' in html


def test_known_and_unknown_addresses_get_the_email_and_the_same_thanks(
    people, django_capture_on_commit_callbacks
):
    page = archive("ar")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(f"{page.url}subscribe/", answers("Rania@Example.net"))
        unknown = client.post(f"{page.url}subscribe/", answers("buur@example.net"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == f"{page.url}subscribe/thanks/"

    assert sorted(message.to[0] for message in mail.outbox) == [
        "buur@example.net",
        "rania@example.net",
    ]
    subject = in_language("fr", "Confirm that you want the newsletter")
    assert subject != "Confirm that you want the newsletter"
    assert {message.subject for message in mail.outbox} == {subject}  # the chosen language
    assert all('lang="fr"' in message.alternatives[0][0] for message in mail.outbox)

    reader = Participant.objects.get(email="buur@example.net")
    assert (reader.role, reader.newsletter_status, reader.preferred_language) == (
        "reader",
        "pending",
        "fr",
    )
    assert Participant.objects.filter(email="rania@example.net").count() == 1

    thanks = client.get(known["Location"])
    assert thanks.status_code == 200
    text = thanks.content.decode()
    assert (
        in_language(
            "ar", "Thank you. If this address can get the newsletter, we sent it a link to confirm."
        )
        in text
    )
    assert 'lang="ar" dir="rtl"' in text


def test_the_link_in_the_email_records_the_web_form(people, django_capture_on_commit_callbacks):
    page = archive("nl")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{page.url}subscribe/", answers("buur@example.net"))
    link = next(word for word in mail.outbox[0].body.split() if "/newsletter/confirm/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert Client().post(f"/{path}").status_code == 200
    consent = Participant.objects.get(email="buur@example.net").consents.get(purpose="newsletter")
    assert (consent.given, consent.method, consent.origin) == (
        True,
        Consent.Method.WEB_FORM,
        "",
    )


@pytest.mark.parametrize(
    ("field", "wrong", "message"),
    [
        ("email", {"email": "nope"}, "Enter a valid email address."),
        (
            "consent_newsletter",
            {"consent_newsletter": None},
            "Tick this box to get the newsletter.",
        ),
    ],
)
def test_a_wrong_answer_is_shown_next_to_its_field(people, field, wrong, message):
    page = archive("ar")
    before = Participant.objects.count()
    response = Client().post(f"{page.url}subscribe/", answers("buur@example.net", **wrong))
    assert response.status_code == 400
    html = response.content.decode()
    expected = in_language("ar", message)
    assert expected != message
    assert f'<p class="form-error" id="id_{field}_error">{expected}</p>' in html
    described = re.search(rf'<[^>]*name="{field}"[^>]*aria-describedby="([^"]+)"', html)
    assert f"id_{field}_error" in described.group(1).split()
    assert 'id="form-errors"' in html
    assert 'value="nope"' in html or field != "email"  # what was typed stays
    assert Participant.objects.count() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"website": "http://spam.example"}, "Please leave this field empty."),
        (
            {"started": "now"},
            "You sent the form very quickly. Check your answers and send it again.",
        ),
        (
            {"started": "forged"},
            "We could not check this form. Check your answers and send it again.",
        ),
    ],
)
def test_robots_are_refused(people, settings, wrong, message):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 5}
    if wrong.get("started") == "now":
        wrong = {"started": started_token()}  # signed now, not when the tests were collected
    page = archive("nl")
    before = Participant.objects.count()
    response = Client().post(f"{page.url}subscribe/", answers("buur@example.net", **wrong))
    assert response.status_code == 400
    assert in_language("nl", message) in response.content.decode()
    assert Participant.objects.count() == before
    assert mail.outbox == []


def test_the_rate_limit_is_shown_in_the_box(people, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 1}
    page = archive("nl")
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.post(f"{page.url}subscribe/", answers("a@example.net")).status_code == 302
    refused = client.post(f"{page.url}subscribe/", answers("b@example.net"))
    assert refused.status_code == 429
    assert (
        in_language(
            "nl", "We received many sign-ups from your connection. Please try again in an hour."
        )
        in refused.content.decode()
    )
    assert not Participant.objects.filter(email="b@example.net").exists()


def test_the_subscribe_address_without_a_form_leads_to_the_box(demo):
    page = archive("fr")
    response = Client().get(f"{page.url}subscribe/")
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}#newsletter-subscribe"
