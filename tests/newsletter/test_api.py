"""The newsletter in API v3: the archive, the subscription form, subscribe with double opt-in,
unsubscribe. Answers never tell whether an address is known."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from buddypages.registry.models import Consent, Participant
from newsletter.tokens import unsubscribe_token
from tests.buddypages.registry.helpers import started_a_minute_ago

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.gemeente.be"


@pytest.fixture(autouse=True)
def _allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.BUDDY_REGISTRY = {**getattr(settings, "BUDDY_REGISTRY", {}), "RATE_LIMIT": 0}


@pytest.fixture
def client():
    return Client(HTTP_ORIGIN=ORIGIN)


def post(client, path, body, **headers):
    return client.post(
        f"/api/v3/newsletter/{path}", json.dumps(body), content_type="application/json", **headers
    )


def subscription(email, **overrides):
    body = {
        "email": email,
        "preferred_language": "ar",
        "consent_newsletter": True,
        "token": started_a_minute_ago(),
        "website": "",
    }
    body.update(overrides)
    return body


def test_subscribing_sends_a_confirmation_and_changes_nothing_until_confirmed(
    client, people, django_capture_on_commit_callbacks
):
    person = people["newcomer"]  # in a duo, no newsletter yet
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "subscriptions/", subscription("Rania@Example.net"))
    assert response.status_code == 202, response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "rania" not in response.content.decode().lower()
    person.refresh_from_db()
    assert person.newsletter_status == "none"
    assert not person.consents.filter(purpose="newsletter").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rania@example.net"]
    with translation.override("ar"):
        subject = translation.gettext("Confirm that you want the newsletter")
    assert message.subject == subject != "Confirm that you want the newsletter"
    assert 'lang="ar" dir="rtl"' in message.alternatives[0][0]

    link = next(word for word in message.body.split() if "/newsletter/confirm/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = Client()
    confirm.get(f"/{path}")
    confirmed = confirm.post(f"/{path}")
    assert confirmed.status_code == 200
    person.refresh_from_db()
    assert person.newsletter_status == "confirmed"
    consent = person.consents.get(purpose="newsletter")
    assert consent.given is True
    # Asked for on the municipality's website: the ledger says so.
    assert (consent.method, consent.origin) == (Consent.Method.API, ORIGIN)
    assert person.role == "newcomer"  # a known person stays who they were


def test_a_known_and_an_unknown_address_get_the_same_answer(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, "subscriptions/", subscription("rania@example.net"))
        unknown = post(client, "subscriptions/", subscription("nobody@example.net"))
        receiving = post(client, "subscriptions/", subscription("wout@example.net"))
    assert unknown.status_code == known.status_code == receiving.status_code == 202
    assert unknown.content == known.content == receiving.content
    assert sorted(message.to[0] for message in mail.outbox) == [
        "nobody@example.net",
        "rania@example.net",
    ]  # Wout already gets it: nothing to confirm
    reader = Participant.objects.get(email="nobody@example.net")
    assert (reader.role, reader.newsletter_status) == ("reader", "pending")
    assert Participant.objects.filter(email="rania@example.net").count() == 1


def test_subscribing_refuses_robots_and_bad_answers(client, people):
    robot = post(client, "subscriptions/", subscription("rania@example.net", website="x"))
    assert robot.status_code == 422
    no_consent = post(
        client,
        "subscriptions/",
        subscription("rania@example.net", consent_newsletter=False, preferred_language="xx"),
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    errors = {tuple(e["loc"]): e["msg"] for e in no_consent.json()["errors"]}
    assert set(errors) == {("body", "consent_newsletter"), ("body", "preferred_language")}
    with translation.override("ar"):
        assert errors[("body", "consent_newsletter")] == translation.gettext(
            "Tick this box to get the newsletter."
        )
    extra = post(client, "subscriptions/", subscription("rania@example.net", name="Rania"))
    assert extra.status_code == 422
    assert mail.outbox == []


def test_the_subscription_rate_limit(people, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 1}
    client = Client(HTTP_ORIGIN=ORIGIN, REMOTE_ADDR="203.0.113.8")  # an address of its own
    assert post(client, "subscriptions/", subscription("a@example.net")).status_code == 202
    refused = post(client, "subscriptions/", subscription("b@example.net"))
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_unsubscribe_with_the_token_records_the_api_and_origin(client, people):
    person = people["volunteer"]
    token = unsubscribe_token(person.pk, person.email)
    response = post(client, "unsubscribe/", {"token": token})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.newsletter_status == "withdrawn"
    withdrawn = person.consents.get(purpose="newsletter", given=False)
    assert (withdrawn.method, withdrawn.origin) == (Consent.Method.API, ORIGIN)
    tampered = post(client, "unsubscribe/", {"token": token[:-2] + "xx"})
    assert tampered.status_code == 422
    assert [e["loc"] for e in tampered.json()["errors"]] == [["body", "token"]]


def test_the_form_is_described_in_the_language_asked_for():
    response = Client().get("/api/v3/newsletter/form/?locale=ar")
    assert response.status_code == 200
    form = response.json()
    assert (form["kind"], form["locale"]) == ("newsletter", "ar")
    assert form["action"].endswith("/api/v3/newsletter/subscriptions/")
    fields = {field["name"]: field for field in form["fields"]}
    assert list(fields) == ["email", "preferred_language", "consent_newsletter"]
    with translation.override("ar"):
        assert fields["email"]["label"] == translation.gettext("Email address")
    assert fields["consent_newsletter"]["consent"] is True


def test_the_archive_lists_sent_issues_per_language(issue):
    from newsletter.models import NewsletterIssuePage

    before = Client().get("/api/v3/newsletter/issues/?locale=fr").json()
    assert before["count"] == 0  # not sent yet
    NewsletterIssuePage.objects.filter(translation_key=issue.translation_key).update(
        sent_at=timezone.now()
    )
    french = NewsletterIssuePage.objects.get(
        translation_key=issue.translation_key, locale__language_code="fr"
    )
    listing = Client().get("/api/v3/newsletter/issues/?locale=fr&limit=1").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert (item["id"], item["locale"], item["subject"]) == (french.pk, "fr", french.subject)
    assert item["url"].endswith(french.url)
    assert {t["locale"] for t in item["translations"]} >= {"nl", "ar"}
    assert "%%" not in json.dumps(listing)


def test_anyone_can_subscribe_confirm_read_and_stop(
    client, people, issue, django_capture_on_commit_callbacks
):
    """A neighbour who never signed up: the email in their language, nothing before they
    confirm, then the issues for everyone (greeted without a name), and the unsubscribe link
    in the issue stops it; the next night leaves only the consent ledger."""
    from buddypages.registry.data_protection import retention_apply
    from newsletter.audiences import recipients_for
    from newsletter.rendering import IssueRenderer

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, "subscriptions/", subscription("Buur@Example.net", preferred_language="fr")
        )
    assert response.status_code == 202
    reader = Participant.objects.get(email="buur@example.net")
    [message] = mail.outbox
    with translation.override("fr"):
        assert message.subject == translation.gettext("Confirm that you want the newsletter")
    assert not any(
        r.email == "buur@example.net" for r in recipients_for(["everyone", "subscribers"])
    )

    link = next(word for word in message.body.split() if "/newsletter/confirm/" in word)
    Client().post("/" + link.split("://", 1)[1].split("/", 1)[1])
    everyone = {r.email: r for r in recipients_for(["everyone"])}
    assert "buur@example.net" in everyone
    assert "buur@example.net" not in {r.email for r in recipients_for(["newcomers", "duos"])}

    issue_mail = IssueRenderer(issue).message(everyone["buur@example.net"])
    with translation.override("fr"):
        hello = translation.gettext("Hello,")
    assert hello == "Bonjour,"
    assert hello in issue_mail.body.splitlines()  # a greeting without a name on its own line
    assert f"<p>{hello}</p>" in issue_mail.alternatives[0][0]
    unsubscribe = issue_mail.extra_headers["List-Unsubscribe"].strip("<>").split(">")[0]
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert post(client, "unsubscribe/", {"token": token}).status_code == 200
    assert "buur@example.net" not in {r.email for r in recipients_for(["everyone"])}

    retention_apply()
    reader.refresh_from_db()
    assert (reader.email, reader.anonymised_at is not None) == ("", True)
    assert list(reader.consents.values_list("given", "method")) == [
        (True, "api"),
        (False, "api"),
    ]
