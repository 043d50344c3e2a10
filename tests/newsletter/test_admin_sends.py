"""Sending from the admin: who may, the form, the live progress, the controls."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsletter.models import Send

pytestmark = pytest.mark.django_db


def login(username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def test_editors_and_visitors_cannot_send_or_see_sends(issue, people):
    from newsletter import outbox

    send = outbox.send_start(issue=issue, audiences=["duos"])
    for who in (None, "editor"):
        client = login(who)
        for url in (
            f"/admin/newsletter/send/{issue.pk}/",
            f"/admin/newsletter/sends/{send.pk}/progress/",
            f"/admin/newsletter/sends/{send.pk}/progress/?format=json",
            "/admin/newsletter_sends/",
            "/admin/newsletter_suppressions/",
        ):
            response = client.get(url)
            assert response.status_code != 200, (who, url)
            assert b"rania@example.net" not in response.content
        client.post(f"/admin/newsletter/sends/{send.pk}/progress/", {"action": "cancel"})
        send.refresh_from_db()
        assert send.status == "sending"
        client.post(f"/admin/newsletter/send/{issue.pk}/", {"audiences": ["everyone"]})
    assert Send.objects.count() == 1


def test_a_coordinator_sends_and_follows_the_progress(
    issue, people, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    edit = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f"/admin/newsletter/send/{issue.pk}/" in edit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/newsletter/send/{issue.pk}/", {"audiences": ["duos", "subscribers"]}
        )
    send = Send.objects.get()
    assert response["Location"].endswith(f"/admin/newsletter/sends/{send.pk}/progress/")
    assert send.created_by.username == "coordinator"
    page = client.get(f"/admin/newsletter/sends/{send.pk}/progress/")
    assert page.status_code == 200
    assert b"newsletter/progress.js" in page.content
    data = client.get(f"/admin/newsletter/sends/{send.pk}/progress/?format=json").json()
    assert (data["sent"], data["total"], data["percent"], data["status"]) == (
        send.total,
        send.total,
        100,
        "done",
    )


def test_bad_send_forms_get_messages(issue, people):
    client = login("coordinator")
    client.raise_request_exception = False
    for data in (
        {},
        {"audiences": ["martians"]},
        {"audiences": ["duos"], "at": "never"},
        {"audiences": ["duos"], "programme": "x"},
    ):
        assert client.post(f"/admin/newsletter/send/{issue.pk}/", data).status_code == 400
    assert not Send.objects.exists()
    missing = client.post("/admin/newsletter/sends/999999/progress/", {"action": "pause"})
    assert missing.status_code in (302, 404)  # not found (LocaleMiddleware may redirect it)
