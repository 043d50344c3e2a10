"""Schemathesis against ``/api/v3/openapi.json``: every documented operation, writes included.

Each operation is one test: Schemathesis's explicit examples, its coverage cases (boundaries,
wrong types, missing and extra fields, unsupported methods) and then generated requests, sent
to the host's WSGI application in this process, on the demo content, anonymous. Every answer
must be no server error, have a documented status code and content type, and match the
documented schema of that status (problem details included: see buddypages.api.v3.openapi).

The document is built at collection time, as its view serialises it, so that every operation
is a test of its own (Schemathesis's fixture-loaded schemas run them as subtests, which pytest
9.2 does not support); ``test_the_document_tested_is_the_one_served`` proves it is the same.
Each request runs in a savepoint rolled back after it: every example sees the demo as loaded.
Generated writes mostly get 422s (hooks below help them past the site, language and robot
checks); ``test_every_write_reaches_its_success_within_its_document`` sends a person's answers
(fake ones) to each public write and checks the success answers against the document too.
Wagtail's token operations answer 401 problem details, which the document lists.

Bounded for CI: at most ``MAX_EXAMPLES`` generated requests per operation, derandomised (the
same requests every run), no shrinking.
"""

import json

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.buddypages.registry.helpers import registration_pages, started_a_minute_ago

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
MAX_EXAMPLES = 25
ORIGIN = "https://www.gemeente.example"

# Operations Schemathesis cannot generate any request for, and why; each is still called once
# by hand in test_operations_schemathesis_cannot_generate_answer_problems.
SKIPPED = dict.fromkeys(
    (
        "snippets_revisions_list",
        "snippets_revisions_detail",
        "snippets_actions_publish",
        "snippets_actions_unpublish",
        "snippets_actions_revert",
    ),
    "Wagtail documents the {type} path parameter as the empty string when no snippet model "
    "keeps revisions (none does here), so no request can be generated",
)


def _document() -> dict:
    """``/api/v3/openapi.json`` as its view serialises it (without a request: no database)."""
    from django.utils import translation
    from ninja.responses import Response

    from buddypages.api.v3.api import get_api

    with translation.override(django_settings.LANGUAGE_CODE):
        return json.loads(Response(get_api().get_openapi_schema()).content)


def _in_the_tests_transaction(environ, start_response):
    """The host's WSGI application, minus what Django's test client also leaves out: closing
    the database connection (which holds the test's transaction) when a request starts and
    ends."""
    from buddysite.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _load():
    loaded = schemathesis.openapi.from_dict(_document())
    loaded.app = _in_the_tests_transaction
    return loaded


schema = _load()


@schema.hook
def flatmap_query(context, query):
    """Queries naming a site or a language: half of them name none, or one of the site's
    languages, so the reads get past the site and language checks to their real answers."""
    if not isinstance(query, dict) or not {"site", "locale"} & set(query):
        return st.just(query)
    usable = {name: value for name, value in query.items() if name != "site"}
    if "locale" not in usable:
        return st.sampled_from([query, usable])
    languages = st.sampled_from([code for code, _name in django_settings.LANGUAGES])
    return st.one_of(st.just(query), languages.map(lambda code: {**usable, "locale": code}))


@schema.hook
def flatmap_body(context, body):
    """Bodies with a form token: half of them get a valid one and an empty honeypot, so the
    writes get past the robot checks to their real validation and success paths."""
    if not isinstance(body, dict) or "token" not in body:
        return st.just(body)
    repaired = {**body, "token": started_a_minute_ago()}
    if "website" in repaired:
        repaired["website"] = ""
    return st.sampled_from([body, repaired])


@schema.exclude(operation_id=list(SKIPPED)).parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_document(case, demo):
    with transaction.atomic():
        case.call_and_validate(checks=CHECKS)
        transaction.set_rollback(True)


def test_the_document_tested_is_the_one_served(client, demo):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    assert response.json() == schema.raw_schema


def test_the_document_lists_every_answer_of_wagtails_token_operations():
    delete = schema.raw_schema["paths"]["/api/v3/pages/{page_id}/"]["delete"]["responses"]
    assert {"204", "401", "403", "404", "4XX"} <= set(delete)
    assert delete["401"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    tips = schema.raw_schema["paths"]["/api/v3/tips/"]["get"]["responses"]
    assert set(tips) == {"200", "304", "422", "4XX"}  # anonymous: no 401
    public = schema.raw_schema["paths"]["/api/v3/pages/"]["get"]["responses"]
    assert "401" not in public
    assert "302" in schema.raw_schema["paths"]["/api/v3/pages/find/"]["get"]["responses"]


def _operations(operation_ids):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in operation_ids:
            yield operation


def test_operations_schemathesis_cannot_generate_answer_problems(demo):
    operations = list(_operations(SKIPPED))
    assert {operation.definition.raw["operationId"] for operation in operations} == set(SKIPPED)
    for operation in operations:
        (type_parameter,) = [
            parameter
            for parameter in operation.definition.raw["parameters"]
            if parameter["name"] == "type"
        ]
        # When this fails, Wagtail documents a usable type: take the operation off SKIPPED.
        assert type_parameter["schema"].get("const") == ""
        values = {"type": "buddypages.Partner", "pk": "1", "revision_id": "1"}
        names = [p["name"] for p in operation.definition.raw["parameters"] if p["in"] == "path"]
        case = operation.Case(path_parameters={name: values[name] for name in names})
        response = case.call_and_validate(checks=CHECKS)
        assert 400 <= response.status_code < 500
        assert response.json()["status"] == response.status_code


def _operation(operation_id: str):
    (operation,) = _operations({operation_id})
    return operation


def _write(operation_id: str, body: dict):
    """One write as a person's browser sends it, checked as the generated ones are."""
    case = _operation(operation_id).Case(body=body, headers={"Origin": ORIGIN})
    return case.call_and_validate(checks=CHECKS)


@pytest.fixture
def writes_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.BUDDY_REGISTRY = {**getattr(settings, "BUDDY_REGISTRY", {}), "RATE_LIMIT": 0}


@pytest.mark.usefixtures("writes_allowed")
def test_every_write_reaches_its_success_within_its_document(demo):
    """Generated writes mostly get 422s; these are the answers a person gives (fake ones)."""
    from buddypages.calendar.models import ActivitySignup
    from buddypages.registry.models import Participant
    from newsletter.tokens import unsubscribe_token

    newcomer_form = registration_pages()["ar"]["newcomer"]
    signup = _write(
        "create_signup",
        {
            "page": newcomer_form.pk,
            "token": started_a_minute_ago(),
            "website": "",
            "first_name": "Sam",
            "last_name": "Example",
            "email": "newcomer@example.org",
            "languages": ["ar"],
            "preferred_language": "ar",
            "dutch_level": "a1",
            "postcode": "2990",
            "age_band": "26-35",
            "household": "alone",
            "availability": ["sat_morning"],
            "consent_programme": True,
        },
    )
    assert signup.status_code == 201, signup.text

    subscribed = _write(
        "subscribe_newsletter",
        {
            "token": started_a_minute_ago(),
            "website": "",
            "email": "reader@example.org",
            "preferred_language": "ar",
            "consent_newsletter": True,
        },
    )
    assert subscribed.status_code == 202, subscribed.text

    person = Participant.objects.get(email="newcomer@example.org")
    unsubscribed = _write(
        "unsubscribe_newsletter", {"token": unsubscribe_token(person.pk, person.email)}
    )
    assert unsubscribed.status_code == 200, unsubscribed.text

    activity, occurrence = _an_activity_with_a_date()
    booked = _write(
        "create_activity_signup",
        {
            "token": started_a_minute_ago(),
            "website": "",
            "activity": activity,
            "occurrence": occurrence,
            "name": "Sam Example",
            "email": "walker@example.org",
            "places": 1,
        },
    )
    assert booked.status_code == 201, booked.text

    token = ActivitySignup.objects.get(email="walker@example.org").token
    cancelled = _write("cancel_activity_signup", {"token": str(token)})
    assert cancelled.status_code == 200, cancelled.text


def _an_activity_with_a_date() -> tuple[int, str]:
    """The first demo activity whose form offers a date, read as a front end reads it."""
    from django.test import Client

    from buddypages.calendar.pages import ActivityPage

    client = Client()
    for pk in ActivityPage.objects.live().order_by("pk").values_list("pk", flat=True):
        described = client.get(f"/api/v3/forms/activities/{pk}/")
        if described.status_code != 200:
            continue
        fields = {field["name"]: field for field in described.json()["fields"]}
        if fields["occurrence"]["choices"]:
            return pk, fields["occurrence"]["choices"][0]["value"]
    raise AssertionError("No demo activity offers a date.")
