"""One-click unsubscribe, resubscribe, the public archive, previews and test sends."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from buddypages.registry.models import Participant
from newsletter.audiences import recipients_for
from newsletter.rendering import IssueRenderer
from newsletter.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def link_for(person, language="nl"):
    return f"/{language}/newsletter/unsubscribe/{unsubscribe_token(person.pk, person.email)}/"


def test_get_never_unsubscribes_and_post_without_cookies_does(people):
    person = people["volunteer"]
    url = link_for(person, "ar")
    page = Client().get(url)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    person.refresh_from_db()
    assert person.newsletter_status == "confirmed"
    # What a mail provider sends (RFC 8058): a bare POST, no cookie, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.newsletter_status == "withdrawn"
    assert Participant.objects.filter(pk=person.pk).exists()  # the registry keeps them
    consent = person.consents.filter(purpose="newsletter").last()
    assert (consent.given, consent.method) == (False, "unsubscribe")
    # And they are out of every audience from now on.
    assert person.email not in [r.email for r in recipients_for(["everyone"], None)]


def test_resubscribing_from_the_same_page(people):
    person = people["stopped"]
    url = link_for(person, "fr")
    page = Client().get(url).content.decode()
    with translation.override("fr"):
        button = translation.gettext("Send me the newsletter again")
    assert button in page  # {% translate %} output is not escaped
    Client(enforce_csrf_checks=True).post(url, {"action": "resubscribe"})
    person.refresh_from_db()
    assert person.newsletter_status == "confirmed"


def test_a_tampered_or_foreign_token_gets_a_clear_page(people):
    client = Client(raise_request_exception=False)
    bad = client.post("/nl/newsletter/unsubscribe/not-a-token/")
    assert bad.status_code == 400
    assert '<html lang="nl"' in bad.content.decode()
    token = unsubscribe_token(people["volunteer"].pk, "someone.else@example.net")
    other = client.post(f"/nl/newsletter/unsubscribe/{token}/")
    assert other.status_code == 400
    people["volunteer"].refresh_from_db()
    assert people["volunteer"].newsletter_status == "confirmed"


def test_the_archive_shows_only_sent_issues_without_personal_parts(issue, people, client):
    from newsletter.models import NewsletterIssuePage

    assert client.get(issue.url).status_code == 404  # not sent yet
    NewsletterIssuePage.objects.filter(translation_key=issue.translation_key).update(
        sent_at=timezone.now()
    )
    french = NewsletterIssuePage.objects.get(
        translation_key=issue.translation_key, locale__language_code="fr"
    )
    web = client.get(french.url)
    assert web.status_code == 200
    body = web.content.decode()
    assert '<html lang="fr"' in body
    assert french.subject in body
    assert "%%" not in body
    assert "unsubscribe" not in body
    archive = client.get(french.get_parent().url).content.decode()
    assert french.url in archive


def test_preview_as_the_email_with_fake_names_in_the_pages_language(issue):
    arabic = issue.get_translation(issue.get_translations().get(locale__language_code="ar").locale)
    for kind, name in (("duo_newcomer", "Lotte"), ("volunteer", "Jan"), ("subscriber", "Sam")):
        response = arabic.make_preview_request(preview_mode=f"email:{kind}")
        assert response.status_code == 200, kind
        html = response.content.decode()
        assert name in html, kind
        assert 'lang="ar" dir="rtl"' in html
    web = issue.make_preview_request(preview_mode="")
    assert web.status_code == 200  # the unsent web version, for editors
    assert issue.subject in web.rendered_content


def test_test_send_goes_to_the_editors_own_address(issue):
    editor = get_user_model().objects.get(username="editor")
    editor.email = "editor@example.net"
    editor.save()
    client = Client()
    client.force_login(editor)
    edit = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f"/admin/newsletter/test/{issue.pk}/" in edit
    response = client.post(
        f"/admin/newsletter/test/{issue.pk}/", {"language": "ar", "kind": "duo_newcomer"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["editor@example.net"]
    assert message.subject.startswith("[Test]")
    assert 'dir="rtl"' in message.alternatives[0][0]


def test_the_command_lists_issues_and_sends_a_test_copy(issue, capsys):
    call_command("send_newsletter", "--list")
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{issue.pk}\t")
    call_command("send_newsletter", str(issue.pk), "--test-to", "ops@example.net", "--lang", "fr")
    (message,) = mail.outbox
    assert message.to == ["ops@example.net"]
    assert "Nouvelles" in message.subject


def test_the_test_copys_unsubscribe_link_changes_nothing(issue):
    from newsletter.rendering import sample_message

    message = sample_message(issue, to="ops@example.net", language="nl")
    url = message.extra_headers["List-Unsubscribe"][1:-1].split("8000", 1)[1]
    response = Client().post(url)
    assert response.status_code == 200


def test_rendering_uses_few_queries_per_thousand_recipients(
    issue, people, django_assert_max_num_queries
):
    from newsletter.rendering import Recipient

    renderer = IssueRenderer(issue)
    recipients = [
        Recipient(f"p{i}@example.net", f"P{i}", ["nl", "ar", "fr"][i % 3], "newcomer", "", i + 1)
        for i in range(300)
    ]
    renderer.message(recipients[0])
    with django_assert_max_num_queries(40):
        for recipient in recipients:
            renderer.message(recipient)
