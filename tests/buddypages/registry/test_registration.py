import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from buddypages.registry.choices import availability_mask
from buddypages.registry.models import Consent, Participant, StatusChange
from tests.buddypages.registry.helpers import form_data

pytestmark = pytest.mark.django_db


def post(client, page, **overrides):
    return client.post(page.url, form_data(page.role, **overrides))


def test_the_form_is_in_the_visitors_language_and_fits_the_role(client, forms):
    newcomer = client.get(forms["ar"]["newcomer"].url)
    volunteer = client.get(forms["fr"]["volunteer"].url)
    assert newcomer.status_code == volunteer.status_code == 200
    body = newcomer.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    with translation.override("ar"):
        assert translation.gettext("First name") in body
        assert translation.gettext("How well do you speak Dutch?") in body
        assert translation.gettext("First name") != "First name"
    assert 'name="dutch_level"' in body
    assert 'name="max_duos"' not in body
    french = volunteer.content.decode()
    assert 'name="max_duos"' in french
    assert 'name="dutch_level"' not in french
    assert "Cuisine" in french  # interests in the page's language
    assert 'name="csrfmiddlewaretoken"' in french


def test_a_sign_up_writes_typed_records_before_any_email(
    client, forms, demo, django_capture_on_commit_callbacks
):
    page = forms["ar"]["newcomer"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, page, email="Samira.Test@Example.net")
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    person = Participant.objects.get(email="samira.test@example.net")
    assert mail.outbox == []  # stored first; the email is queued for after the commit
    assert len(callbacks) == 1
    assert (person.role, person.status, person.form_language) == ("newcomer", "signed_up", "ar")
    assert person.programme == demo.programme  # the Dutch page: one programme, many languages
    assert person.programme_key == demo.programme.translation_key
    assert (person.dutch_level, person.age_band, person.household) == ("a1", "26-35", "children")
    assert person.spoken_language_codes() == ["ar", "fr"]
    assert sorted(i.key for i in person.interests.all()) == ["cooking", "football"]
    assert {i.locale.language_code for i in person.interests.all()} == {"nl"}
    assert person.availability == availability_mask(["sat_morning", "wed_evening"])
    consent = Consent.objects.get(participant=person)
    assert (consent.purpose, consent.given, consent.method) == ("programme", True, "web_form")
    assert consent.text_version.startswith(f"{page.privacy_version} (page {page.pk}, revision ")
    assert StatusChange.objects.get(participant=person).to_status == "signed_up"

    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira.test@example.net"]
    with translation.override("ar"):
        assert message.subject == translation.gettext(
            "We received your sign-up for the buddy programme"
        )
    assert 'lang="ar" dir="rtl"' in message.alternatives[0][0]
    assert "newsletter/confirm" not in message.body  # did not ask for it


def test_the_thank_you_page_carries_no_personal_data(client, forms):
    page = forms["nl"]["volunteer"]
    response = client.get(post(client, page, first_name="Wardje")["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bedankt" in body
    assert "Wardje" not in body
    assert "samira" not in body.lower()


def test_signing_up_twice_keeps_one_record_updated_and_counted(client, forms, admin_client):
    page = forms["nl"]["newcomer"]
    post(client, page, postcode="2990")
    post(client, forms["fr"]["newcomer"], email="SAMIRA.test@example.net", postcode="2993")
    person = Participant.objects.get(email="samira.test@example.net")
    assert person.signup_count == 2
    assert person.postcode == "2993"  # the newest answers
    assert person.form_language == "fr"
    assert person.consents.count() == 2  # each consent kept in the ledger
    inspect = admin_client.get(f"/admin/participants/inspect/{person.pk}/")
    with translation.override("nl"):  # the admin's language
        notice = translation.ngettext(
            "Signed up %(times)s time.",
            "Signed up %(times)s times; the answers are from the last sign-up on %(last)s.",
            2,
        )
    assert escape(notice.split("%(last)s")[0] % {"times": 2}) in inspect.content.decode()


def test_the_same_email_as_volunteer_is_a_separate_role(client, forms):
    post(client, forms["nl"]["newcomer"])
    post(client, forms["nl"]["volunteer"])
    assert Participant.objects.filter(email="samira.test@example.net").count() == 2


def test_newsletter_consent_is_confirmed_by_email(
    client, forms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, forms["en"]["newcomer"], consent_newsletter="on", preferred_language="en")
    person = Participant.objects.get(email="samira.test@example.net")
    assert person.newsletter_status == "pending"
    assert not person.consents.filter(purpose="newsletter").exists()
    link = next(line for line in mail.outbox[0].body.splitlines() if "newsletter/confirm" in line)
    path = link.split("127.0.0.1:8000", 1)[-1].strip()
    assert path.startswith("/en/newsletter/confirm/")

    assert client.get(path).status_code == 200  # a mail scanner's GET confirms nothing
    person.refresh_from_db()
    assert person.newsletter_status == "pending"
    response = client.post(path)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.newsletter_status == "confirmed"
    consent = person.consents.get(purpose="newsletter")
    assert (consent.given, consent.method) == (True, "email_link")
    assert client.post(path).status_code == 200  # a second click is harmless
    assert person.consents.filter(purpose="newsletter").count() == 1


def test_a_tampered_newsletter_link_gets_a_clear_page(client, forms):
    response = client.post("/fr/newsletter/confirm/not-a-real-token/")
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="fr"' in body
    with translation.override("fr"):
        message = translation.gettext(
            "This link is not complete. Copy the whole link from the email."
        )
    assert escape(message) in body


def test_the_honeypot_and_a_too_fast_form_are_refused_without_storing(client, forms, settings):
    page = forms["nl"]["newcomer"]
    response = post(client, page, website="http://spam.example")
    assert response.status_code == 400
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 3}
    from buddypages.registry.forms import started_token

    fast = post(client, page, started=started_token())
    assert fast.status_code == 400
    with translation.override("nl"):
        expected = translation.gettext(
            "You sent the form very quickly. Check your answers and send it again."
        )
    assert expected in fast.content.decode()
    forged = post(client, page, started="form:forged:signature")
    assert forged.status_code == 400
    assert not Participant.objects.filter(email="samira.test@example.net").exists()


def test_too_many_sign_ups_from_one_address_are_refused_in_the_visitors_language(
    client, forms, settings
):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 2}
    page = forms["fr"]["newcomer"]
    statuses = [post(client, page, email=f"n{i}@example.net").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert not Participant.objects.filter(email="n2@example.net").exists()
    other = Client(REMOTE_ADDR="192.0.2.7")  # another address is not blocked
    assert post(other, page, email="n3@example.net").status_code == 302


def test_a_failing_email_is_retried_and_never_touches_the_registration(
    client, forms, settings, django_capture_on_commit_callbacks
):
    from tests.buddypages.registry import flaky_backend

    settings.EMAIL_BACKEND = "tests.buddypages.registry.flaky_backend.EmailBackend"
    flaky_backend.reset(failures=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, forms["nl"]["newcomer"])
    assert response.status_code == 302
    assert flaky_backend.attempts == 3  # two failures, then sent
    assert len(flaky_backend.sent) == 1
    assert Participant.objects.filter(email="samira.test@example.net").count() == 1


def test_an_email_that_keeps_failing_fails_its_task_but_keeps_the_sign_up(
    client, forms, settings, django_capture_on_commit_callbacks, caplog
):
    from tests.buddypages.registry import flaky_backend

    settings.EMAIL_BACKEND = "tests.buddypages.registry.flaky_backend.EmailBackend"
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "EMAIL_ATTEMPTS": 3}
    flaky_backend.reset(failures=100)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, forms["nl"]["newcomer"])
    assert response.status_code == 302
    assert flaky_backend.attempts == 3
    assert Participant.objects.filter(email="samira.test@example.net").count() == 1
    assert "samira" not in caplog.text.lower()  # logs name the number, not the person


def test_csrf_is_enforced_and_a_stale_token_gets_a_clear_page(forms):
    browser = Client(enforce_csrf_checks=True)
    page = forms["ar"]["newcomer"]
    refused = browser.post(page.url, form_data())
    assert refused.status_code == 403
    assert '<html lang="ar" dir="rtl">' in refused.content.decode()
    assert not Participant.objects.filter(email="samira.test@example.net").exists()
    browser.get(page.url)
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(page.url, {**form_data(), "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_every_described_by_names_a_message_on_the_page(client, forms):
    """Django puts ``aria-describedby="id_x_helptext id_x_error"`` on each input: a screen
    reader reads those messages with the field only if elements with those ids exist."""
    import re

    response = post(
        client, forms["ar"]["newcomer"], email="not an address", first_name="", postcode=""
    )
    body = response.content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    described = {
        name for value in re.findall(r'aria-describedby="([^"]+)"', body) for name in value.split()
    }
    assert {"id_email_error", "id_first_name_error"} <= described
    assert described <= ids, sorted(described - ids)
