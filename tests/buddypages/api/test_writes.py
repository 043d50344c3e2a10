"""Public writes of API v3: sign-ups, activity sign-ups and their cancellation, and the form
descriptions and token they rest on. A client here is another website: it sends JSON with an
``Origin`` header, as a browser does."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from buddypages.calendar.occurrences import TIMEZONE
from buddypages.models import ActivitySignup
from buddypages.registry.forms import RegistrationForm
from buddypages.registry.models import Consent, Participant
from tests.buddypages import factories
from tests.buddypages.registry.helpers import registration_pages, started_a_minute_ago

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.gemeente.be"


@pytest.fixture(autouse=True)
def _allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.BUDDY_REGISTRY = {**getattr(settings, "BUDDY_REGISTRY", {}), "RATE_LIMIT": 0}


@pytest.fixture
def forms(demo):
    return registration_pages()


@pytest.fixture
def client():
    return Client(HTTP_ORIGIN=ORIGIN)


def answers(form_page, **overrides) -> dict:
    body = {
        "page": form_page.pk,
        "token": started_a_minute_ago(),
        "website": "",
        "first_name": "Samira",
        "last_name": "Testpersoon",
        "email": "samira.api@example.net",
        "languages": ["ar", "fr"],
        "preferred_language": "ar",
        "postcode": "2990",
        "age_band": "26-35",
        "household": "children",
        "availability": ["sat_morning"],
        "consent_programme": True,
    }
    if form_page.role == "newcomer":
        body["dutch_level"] = "a1"
    else:
        body.update(max_duos=2, preferred_language="nl", languages=["nl"])
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def post(client, path, body, **headers):
    return client.post(
        f"/api/v3/{path}", json.dumps(body), content_type="application/json", **headers
    )


def problem_fields(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return {tuple(entry["loc"]): entry["msg"] for entry in response.json()["errors"]}


# --- Sign-up ----------------------------------------------------------------------------


def test_a_sign_up_from_an_allowed_origin_lands_in_the_registry_with_its_origin(
    client, forms, demo, django_capture_on_commit_callbacks
):
    page = forms["ar"]["newcomer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "signups/", answers(page, consent_newsletter=True))
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    body = response.json()
    assert body["status"] == "received"
    assert "Samira" not in response.content.decode()
    assert "samira" not in response.content.decode().lower()

    person = Participant.objects.get(email="samira.api@example.net")
    assert (person.role, person.form_language, person.programme) == (
        "newcomer",
        "ar",
        demo.programme,
    )
    assert person.newsletter_status == "pending"
    consent = Consent.objects.get(participant=person)
    assert (consent.purpose, consent.given, consent.method, consent.origin) == (
        "programme",
        True,
        "api",
        ORIGIN,
    )
    with translation.override("en"):
        assert consent.get_method_display() == "Form on another website or app (API)"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira.api@example.net"]
    with translation.override("ar"):
        subject = translation.gettext("We received your sign-up for the buddy programme")
    assert message.subject == subject != "We received your sign-up for the buddy programme"
    assert "newsletter/confirm" in message.body


def test_the_same_address_again_updates_the_one_record(client, forms):
    page = forms["nl"]["volunteer"]
    assert post(client, "signups/", answers(page)).status_code == 201
    again = post(
        client, "signups/", answers(page, first_name="Ward", email="SAMIRA.api@example.net")
    )
    assert again.status_code == 201
    person = Participant.objects.get(email="samira.api@example.net")
    assert (person.first_name, person.signup_count, person.max_duos) == ("Ward", 2, 2)
    assert Consent.objects.filter(participant=person, method="api").count() == 2


def test_preflight_from_an_allowed_origin_is_answered_and_from_another_refused(forms):
    preflight = {
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type",
    }
    allowed = Client().options("/api/v3/signups/", HTTP_ORIGIN=ORIGIN, **preflight)
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    other = Client().options("/api/v3/signups/", HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in other


def test_a_write_sent_by_a_page_of_another_origin_is_refused(forms):
    evil = Client(HTTP_ORIGIN="https://evil.example")
    response = post(evil, "signups/", answers(forms["nl"]["newcomer"]))
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert not Participant.objects.filter(email="samira.api@example.net").exists()


def test_honeypot_and_a_too_fast_token_write_nothing(client, forms):
    page = forms["nl"]["newcomer"]
    robot = post(client, "signups/", answers(page, website="http://spam.example"))
    assert robot.status_code == 422
    assert ("body", "website") in problem_fields(robot)
    fresh = Client().get("/api/v3/forms/token/")
    assert fresh["Cache-Control"] == "no-store"
    assert "ETag" not in fresh
    quick = post(client, "signups/", answers(page, token=fresh.json()["token"]))
    assert quick.status_code == 422
    assert set(problem_fields(quick)) == {("body", "token")}
    forged = post(client, "signups/", answers(page, token="form:forged"))
    assert set(problem_fields(forged)) == {("body", "token")}
    assert (
        not Participant.objects.exists()
        or not Participant.objects.filter(email="samira.api@example.net").exists()
    )


def test_the_rate_limit_answers_429_with_retry_after(forms, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 2}
    client = Client(HTTP_ORIGIN=ORIGIN, REMOTE_ADDR="203.0.113.7")  # an address of its own
    page = forms["nl"]["newcomer"]
    for number in range(2):
        sent = post(client, "signups/", answers(page, email=f"person{number}@example.net"))
        assert sent.status_code == 201
    refused = post(client, "signups/", answers(page, email="third@example.net"))
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert not Participant.objects.filter(email="third@example.net").exists()


def test_invalid_fields_get_one_entry_each_in_the_language_asked_for(client, forms):
    page = forms["nl"]["newcomer"]
    response = post(
        client,
        "signups/",
        answers(page, email="not an address", postcode="12", consent_programme=False),
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 422
    fields = problem_fields(response)
    assert set(fields) == {("body", "email"), ("body", "postcode"), ("body", "consent_programme")}
    with translation.override("ar"):
        assert fields[("body", "postcode")] == translation.gettext(
            "A Belgian postcode has 4 digits."
        )
        assert fields[("body", "consent_programme")] == translation.gettext(
            "We can only find you a buddy if you agree."
        )
    assert fields[("body", "postcode")] != "A Belgian postcode has 4 digits."
    assert response["Content-Language"] == "ar"
    assert not Participant.objects.filter(email="not an address").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"surprise": "x"}, "surprise"),  # not in the schema
        ({"experience": "Taalcafé"}, "experience"),  # a volunteer's field on a newcomer form
        ({"first_name": 42}, "first_name"),  # wrong type
        ({"first_name": None}, "first_name"),  # missing
        ({"first_name": "Sam\x00ira"}, "first_name"),  # NUL
        ({"hopes": "x" * 20_000}, "hopes"),  # huge
        ({"page": "elf"}, "page"),
    ],
)
def test_bad_bodies_get_a_4xx_naming_the_field_and_write_nothing(client, forms, overrides, field):
    response = post(client, "signups/", answers(forms["nl"]["newcomer"], **overrides))
    assert response.status_code == 422
    assert ("body", field) in problem_fields(response)
    assert not Participant.objects.filter(email="samira.api@example.net").exists()


def test_unreadable_and_huge_bodies_are_refused(client, forms, settings):
    not_utf8 = client.post(
        "/api/v3/signups/", b'{"first_name": "\xff"}', content_type="application/json"
    )
    assert 400 <= not_utf8.status_code < 500
    assert not_utf8["Content-Type"] == "application/problem+json"
    huge = post(client, "signups/", answers(forms["nl"]["newcomer"], hopes="x" * 100_000))
    assert huge.status_code == 413
    assert huge["Content-Type"] == "application/problem+json"
    unknown_page = post(
        client,
        "signups/",
        answers(forms["nl"]["newcomer"], page=999_999),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert problem_fields(unknown_page) == {
        ("body", "page"): "There is no sign-up form with this number here."
    }
    assert not Participant.objects.filter(email="samira.api@example.net").exists()


# --- Form descriptions ----------------------------------------------------------------------


def test_the_form_is_described_in_its_language_from_the_real_form(forms):
    page = forms["ar"]["newcomer"]
    response = Client().get(f"/api/v3/forms/{page.pk}/")
    assert response.status_code == 200
    form = response.json()
    assert (form["kind"], form["role"], form["locale"]) == ("registration", "newcomer", "ar")
    assert form["action"].endswith("/api/v3/signups/")
    assert form["token_url"].endswith("/api/v3/forms/token/")
    assert form["honeypot"] == "website"
    fields = {field["name"]: field for field in form["fields"]}
    expected = [name for name in RegistrationForm.base_fields if name not in ("website", "started")]
    assert list(fields) == [name for name in expected if name not in ("experience", "max_duos")]
    with translation.override("ar"):
        assert fields["first_name"]["label"] == translation.gettext("First name")
        household = {c["value"]: c["label"] for c in fields["household"]["choices"]}
        assert household["alone"] == translation.gettext("I live alone") != "I live alone"
        monday = translation.gettext("Monday")
    assert fields["first_name"]["max_length"] == 80
    assert fields["email"]["type"] == "email"
    assert fields["household"]["type"] == "radio"
    assert fields["languages"]["type"] == "multiple_choice"
    assert fields["consent_programme"] == {
        **fields["consent_programme"],
        "type": "boolean",
        "required": True,
        "consent": True,
    }
    assert fields["availability"]["choices"][0]["value"] == "mon_morning"
    assert fields["availability"]["choices"][0]["label"].startswith(monday)
    assert form["privacy_summary"]
    listing = Client().get("/api/v3/forms/?locale=fr").json()
    assert {item["locale"] for item in listing["items"]} == {"fr"}
    assert {item["role"] for item in listing["items"]} == {"newcomer", "volunteer"}


def test_the_openapi_document_has_the_writes():
    document = Client().get("/api/v3/openapi.json").json()
    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {
        "create_signup",
        "create_activity_signup",
        "cancel_activity_signup",
        "subscribe_newsletter",
        "unsubscribe_newsletter",
        "get_form_token",
        "list_forms",
        "get_form",
        "list_newsletter_issues",
    } <= operations


# --- Activity sign-ups ------------------------------------------------------------------------


@pytest.fixture
def walk(demo):
    calendar = factories.calendar(factories.home_page("ar"), slug="api-kalender")
    start = factories.next_day_at(14)
    return factories.activity(
        calendar, "Wandeling", start, start + timedelta(hours=2), slug="api-wandeling", capacity=2
    )


def activity_answers(activity, **overrides):
    body = {
        "activity": activity.pk,
        "occurrence": activity.start.astimezone(TIMEZONE).isoformat(),
        "name": "Samira",
        "email": "samira@example.org",
        "places": 1,
        "token": started_a_minute_ago(),
        "website": "",
    }
    body.update(overrides)
    return body


def test_activity_sign_up_full_waiting_list_and_cancel(
    client, walk, django_capture_on_commit_callbacks
):
    described = Client().get(f"/api/v3/forms/activities/{walk.pk}/").json()
    assert described["kind"] == "activity"
    dates = {field["name"]: field for field in described["fields"]}["occurrence"]["choices"]
    assert dates[0]["value"] == walk.start.astimezone(TIMEZONE).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        duo = post(client, "activity-signups/", activity_answers(walk, places=2))
    assert duo.status_code == 201, duo.content
    assert duo.json()["status"] == "confirmed"
    assert len(mail.outbox) == 1
    assert 'lang="ar"' in mail.outbox[0].alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        late = post(
            client,
            "activity-signups/",
            activity_answers(walk, email="ann@example.org", occurrence=walk.start.isoformat()),
        )
    assert late.status_code == 201
    assert late.json()["status"] == "waiting"

    token = ActivitySignup.objects.get(email="samira@example.org").token
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = post(client, "activity-signups/cancel/", {"token": str(token)})
    assert cancelled.status_code == 200
    assert ActivitySignup.objects.get(email="ann@example.org").status == "confirmed"
    again = post(client, "activity-signups/cancel/", {"token": str(token)})
    assert again.status_code == 409
    assert post(client, "activity-signups/cancel/", {"token": "nope"}).status_code == 422


def test_activity_sign_up_errors_write_nothing(client, walk):
    robot = post(client, "activity-signups/", activity_answers(walk, website="x"))
    assert set(problem_fields(robot)) == {("body", "website")}
    fast = Client().get("/api/v3/forms/token/").json()["token"]
    quick = post(client, "activity-signups/", activity_answers(walk, token=fast))
    assert set(problem_fields(quick)) == {("body", "token")}
    wrong = post(
        client,
        "activity-signups/",
        activity_answers(walk, occurrence="2020-01-01T10:00:00+01:00", places=3),
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert set(problem_fields(wrong)) == {("body", "occurrence"), ("body", "places")}
    far = post(
        client, "activity-signups/", activity_answers(walk, occurrence="0001-01-01T00:00+14:00")
    )
    assert set(problem_fields(far)) == {("body", "occurrence")}
    extra = post(client, "activity-signups/", activity_answers(walk, seats=1))
    assert set(problem_fields(extra)) == {("body", "seats")}
    assert not ActivitySignup.objects.filter(activity=walk).exists()
