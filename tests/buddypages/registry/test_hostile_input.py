"""Whatever is sent to the sign-up forms: a clear answer, never a server error."""

import unicodedata

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buddypages.registry.forms import BIDI_CONTROLS
from buddypages.registry.models import Participant
from tests.buddypages.registry.helpers import form_data, registration_pages

pytestmark = pytest.mark.django_db

FIELDS = list(form_data("volunteer")) + ["dutch_level", "unexpected", "csrfmiddlewaretoken"]
HOSTILE = [
    "",
    " ",
    "A" * 10_000,
    "\u202eevil\u202c",
    "\u2067اسم\u2069",
    "<script>alert(1)</script>",
    "<b>vet</b>",
    "&lt;b&gt;",
    "'; DROP TABLE buddypages_participant; --",
    "\x00",
    "nul\x00byte",
    "\x1b[31mred",
    "line\nbreak",
    "\r\n",
    "🙂" * 50,
    "محمد",
    "Ολγα",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "mon_midnight",
    "１２３４",
    "user@",
    "@example.org",
    "a@b",
    "x@exämple.org",
    "a" * 300 + "@example.org",
    "None",
    "[]",
    "{}",
    "%s%s%n",
    "../../etc/passwd",
]

text = st.one_of(st.text(max_size=120), st.sampled_from(HOSTILE))
value = st.one_of(text, st.lists(text, max_size=4))
random_payload = st.dictionaries(st.sampled_from(FIELDS), value, max_size=len(FIELDS))
mutated_valid = st.builds(
    lambda role, changes, dropped: {
        **{k: v for k, v in form_data(role).items() if k not in dropped},
        **changes,
    },
    st.sampled_from(["newcomer", "volunteer"]),
    st.dictionaries(st.sampled_from(FIELDS), value, max_size=3),
    st.sets(st.sampled_from(FIELDS), max_size=2),
)
payloads = st.one_of(random_payload, mutated_valid)


def _assert_clean(person: Participant) -> None:
    for name in ("first_name", "last_name", "neighbourhood", "hopes", "experience", "phone"):
        stored = getattr(person, name)
        assert not any(ch in BIDI_CONTROLS for ch in stored), name
        assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in stored), name
        assert "<script" not in stored.lower(), name


@pytest.mark.parametrize("role", ["newcomer", "volunteer"])
def test_500_generated_inputs_per_form_never_cause_a_server_error(demo, role):
    page = registration_pages()["fr"][role]
    client = Client(raise_request_exception=False)

    @settings(
        max_examples=500,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(payloads)
    def send(payload):
        response = client.post(page.url, payload)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert '<html lang="fr"' in response.content.decode()

    send()
    for person in Participant.objects.filter(form_language="fr"):
        _assert_clean(person)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_value_in_each_field_gets_an_answer(demo, hostile):
    page = registration_pages()["nl"]["newcomer"]
    client = Client(raise_request_exception=False)
    for field in FIELDS:
        response = client.post(page.url, form_data(**{field: hostile}))
        assert response.status_code in (302, 400), (field, response.status_code)
    for person in Participant.objects.filter(email="samira.test@example.net"):
        _assert_clean(person)


def test_markup_and_direction_tricks_get_a_message_in_the_visitors_language(demo):
    from django.utils import translation

    page = registration_pages()["ar"]["newcomer"]
    client = Client()
    response = client.post(page.url, form_data(first_name="\u202eevil", last_name="<b>x</b>"))
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("ar"):
        assert (
            translation.gettext(
                "This contains invisible control characters. Type the text again, please."
            )
            in body
        )
        assert translation.gettext("Please write plain text, without HTML code.") in body


def test_right_to_left_names_are_welcome(demo):
    page = registration_pages()["ar"]["newcomer"]
    response = Client().post(page.url, form_data(first_name="محمد", last_name="الحسن"))
    assert response.status_code == 302
    assert Participant.objects.get(email="samira.test@example.net").first_name == "محمد"


def test_a_request_too_big_or_with_too_many_fields_gets_a_400(demo, settings):
    page = registration_pages()["nl"]["newcomer"]
    client = Client(raise_request_exception=False)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = client.post(page.url, form_data(hopes="x" * 20_000))
    assert big.status_code == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    many = client.post(page.url, {**form_data(), **{f"f{i}": "x" for i in range(100)}})
    assert many.status_code == 400
