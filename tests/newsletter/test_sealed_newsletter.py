"""The newsletter's admin, sealed per municipality: a coordinator granted site A sees, pauses
and cancels only A's sends, reads only A's suppressed addresses, and sends A's issue to A's
people only (the form counts them there); B's issue cannot even be opened for sending."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from newsletter import outbox
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Send, Suppression
from tests.buddypages.registry.helpers import participant
from tests.buddypages.registry.test_sealed_admin import (
    body,
    client_for,
    coordinator_of,
)
from tests.buddypages.reports.conftest import municipality

pytestmark = pytest.mark.django_db

A_NAME, B_NAME = "Quirinius", "Ysoldeke"
A_EMAIL, B_EMAIL = "quirinius.appelstad@example.net", "ysoldeke.bramdorp@example.net"


@dataclass
class Town:
    site: object
    programme: object
    issue: NewsletterIssuePage
    person: object
    suppression: Suppression


def _issue(home, name: str) -> NewsletterIssuePage:
    index = NewsletterIndexPage(title="Nieuwsbrief", slug=f"nieuwsbrief-{home.slug}")
    index.locale = home.locale
    home.add_child(instance=index)
    index.save_revision().publish()
    issue = NewsletterIssuePage(
        title=f"Nieuws uit {name}",
        slug="december",
        subject=f"Nieuws uit {name}",
        body=[("text", "<p>Hallo.</p>")],
        locale=home.locale,
    )
    index.add_child(instance=issue)
    issue.save_revision().publish()
    issue.refresh_from_db()
    return issue


def town(name: str, secret: str, email: str, *, newcomers: int) -> Town:
    site, programme = municipality(name)
    person = participant(
        programme, first_name=secret, last_name="Lezer", email=email, status="waiting"
    )
    for number in range(newcomers - 1):
        participant(programme, status="waiting", email=f"{name.lower()}-{number}@example.net")
    suppression, _created = Suppression.objects.suppress(
        f"teruggekaatst.{email}", site_id=site.pk, reason="bounced", detail=secret
    )
    return Town(site, programme, _issue(site.root_page, name), person, suppression)


@pytest.fixture
def towns(db):
    return (
        town("Appelstad", A_NAME, A_EMAIL, newcomers=1),
        town("Bramdorp", B_NAME, B_EMAIL, newcomers=2),
    )


@pytest.fixture
def coordinator(towns):
    return client_for(coordinator_of(towns[0].site))


def test_another_site_s_send_is_not_found_and_cannot_be_paused_or_cancelled(towns, coordinator):
    a, b = towns
    theirs = outbox.send_start(issue=b.issue, audiences=["everyone"], at=None)
    Send.objects.filter(pk=theirs.pk).update(status=Send.Status.SENDING)
    ours = outbox.send_start(issue=a.issue, audiences=["everyone"])
    listing = body(coordinator.get("/admin/newsletter_sends/"))
    assert a.issue.subject in listing
    assert b.issue.subject not in listing
    progress = f"/admin/newsletter/sends/{theirs.pk}/progress/"
    for response in (
        coordinator.get(progress),
        coordinator.get(progress, {"format": "json"}),
        coordinator.post(progress, {"action": "pause"}),
        coordinator.post(progress, {"action": "cancel"}),
    ):
        assert response.status_code == 404
        assert b.issue.subject not in body(response)
        assert B_EMAIL not in body(response)
    theirs.refresh_from_db()
    assert theirs.status == Send.Status.SENDING
    mine = coordinator.get(f"/admin/newsletter/sends/{ours.pk}/progress/")
    assert mine.status_code == 200
    assert a.issue.subject in body(mine)


def test_suppressed_addresses_are_the_own_site_s(towns, coordinator):
    a, b = towns
    listing = body(coordinator.get("/admin/newsletter_suppressions/"))
    assert a.suppression.email in listing
    assert b.suppression.email not in listing
    assert B_NAME not in listing
    for view in ("edit", "delete"):
        response = coordinator.get(f"/admin/newsletter_suppressions/{view}/{b.suppression.pk}/")
        assert response.status_code == 404
        assert b.suppression.email not in body(response)
    coordinator.post(f"/admin/newsletter_suppressions/delete/{b.suppression.pk}/")
    assert Suppression.objects.filter(pk=b.suppression.pk).exists()


def test_an_address_suppressed_by_hand_belongs_to_the_coordinator_s_site(towns, coordinator):
    a, b = towns
    new = "/admin/newsletter_suppressions/new/"
    response = coordinator.post(new, {"email": "x@example.net", "reason": "bounced"})
    assert response.status_code == 302
    assert Suppression.objects.get(email="x@example.net").site == a.site
    # Not into another site's list (one site granted: the form has no choice), and not
    # twice into one's own.
    coordinator.post(new, {"email": "Y@example.net", "reason": "bounced", "site": b.site.pk})
    assert Suppression.objects.get(email="y@example.net").site == a.site
    again = coordinator.post(new, {"email": "x@example.net", "reason": "bounced"})
    assert again.status_code == 200
    assert Suppression.objects.filter(email="x@example.net").count() == 1


def test_another_site_s_issue_cannot_be_sent(towns, coordinator):
    _a, b = towns
    url = f"/admin/newsletter/send/{b.issue.pk}/"
    assert coordinator.get(url).status_code == 404
    response = coordinator.post(url, {"audiences": ["everyone"]})
    assert response.status_code == 404
    assert not Send.objects.exists()


def test_the_send_form_counts_and_reaches_only_the_issue_s_site(
    towns, coordinator, django_capture_on_commit_callbacks
):
    a, b = towns
    url = f"/admin/newsletter/send/{a.issue.pk}/"
    response = coordinator.get(url)
    form = response.context["form"]
    counts = dict(form.fields["audiences"].choices)
    assert str(counts["waiting"]).endswith(" (1)")  # B has two waiting: not counted here
    assert list(form.fields["programme"].queryset) == [a.programme]
    assert b.programme.title not in body(response)

    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(url, {"audiences": ["waiting"]})

    send = Send.objects.get()
    assert (send.site, send.total) == (a.site, 1)
    assert list(send.deliveries.values_list("email", flat=True)) == [A_EMAIL]
    assert [message.to for message in mail.outbox] == [[A_EMAIL]]
    assert send.send_after <= timezone.now()
