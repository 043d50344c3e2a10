"""Matching and duos in the admin (coordinators only) and the members' private pages."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from buddypages.duos import services
from buddypages.duos.models import Duo, MatchProposal, Meeting, SpeedDatePick
from buddypages.duos.tokens import duo_link_token

pytestmark = pytest.mark.django_db


def login(username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def duo(pair):
    newcomer, volunteer = pair
    proposal = MatchProposal.objects.create(
        programme_key=newcomer.programme_key, newcomer=newcomer, volunteer=volunteer, score=1
    )
    duo = services.proposal_accept(
        proposal=proposal, user=None, start=timezone.localdate() - timedelta(days=20)
    )
    return duo


def admin_urls(demo, duo):
    return [
        "/admin/matching/",
        f"/admin/matching/{demo.programme.pk}/",
        f"/admin/matching/{demo.programme.pk}/pairs/",
        "/admin/duos/",
        f"/admin/duos/inspect/{duo.pk}/",
        f"/admin/duos/edit/{duo.pk}/",
    ]


@pytest.mark.parametrize("who", [None, "editor"])
def test_only_coordinators_see_matching_and_duos(demo, duo, who):
    client = login(who)
    for url in admin_urls(demo, duo):
        response = client.get(url)
        assert response.status_code != 200, url
        assert b"Testnieuw" not in response.content, url
    response = client.post(f"/admin/duos/action/{duo.pk}/", {"action": "pause"})
    assert response.status_code != 200
    duo.refresh_from_db()
    assert duo.status == "active"
    home = client.get("/admin/")
    assert b"duo-dashboard-heading" not in home.content


def test_coordinators_reach_every_matching_and_duo_view(demo, duo):
    client = login("coordinator")
    for url in admin_urls(demo, duo):
        assert client.get(url).status_code == 200, url
    assert b"duo-dashboard-heading" in client.get("/admin/").content
    assert client.get("/admin/duos/new/").status_code != 200  # duos come from proposals


def test_the_coordinator_proposes_and_accepts_in_the_admin(
    demo, django_capture_on_commit_callbacks
):
    client = login("coordinator")
    url = f"/admin/matching/{demo.programme.pk}/"
    client.post(url, {"action": "propose"})
    proposal = MatchProposal.objects.filter(
        programme_key=demo.programme.translation_key, status="draft"
    ).first()
    assert proposal is not None
    page = client.get(url).content.decode()
    assert escape(proposal.newcomer.full_name) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "accept",
                "proposal": proposal.pk,
                "introduction": "Welkom!",
                "start": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.decided_by.username == "coordinator"
    assert Duo.objects.filter(newcomer=proposal.newcomer, volunteer=proposal.volunteer).exists()


def test_speed_date_choices_and_weights_are_saved(demo, pair):
    newcomer, volunteer = pair
    client = login("coordinator")
    newcomer.programme_key = volunteer.programme_key = demo.programme.translation_key
    newcomer.save()
    volunteer.save()
    url = f"/admin/matching/{demo.programme.pk}/pairs/"
    response = client.post(
        url, {"action": "picks", "chooser": newcomer.pk, "chosen": [volunteer.pk]}
    )
    assert response.status_code == 302
    assert SpeedDatePick.objects.filter(chooser=newcomer, chosen=volunteer).exists()
    weights = dict.fromkeys(services.MatchWeights.WEIGHT_FIELDS, "1")
    client.post(
        f"/admin/matching/{demo.programme.pk}/", {"action": "weights", **weights, "age": "7"}
    )
    assert services.weights_for(demo.programme.translation_key).age == 7


def test_duo_actions_in_the_admin(duo):
    client = login("coordinator")
    url = f"/admin/duos/action/{duo.pk}/"
    client.post(
        url, {"action": "meeting", "date": timezone.localdate().isoformat(), "minutes": "2400"}
    )
    assert not duo.meetings.exists()  # 40 hours in one meeting is refused
    for _ in range(14):
        client.post(
            url,
            {
                "action": "meeting",
                "date": timezone.localdate().isoformat(),
                "minutes": "180",
                "activity": "Stadswandeling",
            },
        )
    assert duo.confirmed_hours() == 42
    proof = client.get(f"/admin/duos/proof/{duo.pk}/")
    assert proof.status_code == 200
    body = proof.content.decode()
    assert '<html lang="nl"' in body
    assert "42" in body
    client.post(
        url,
        {"action": "end", "completed": "0", "reason": "verhuisd", "back_to_waiting": ["volunteer"]},
    )
    duo.refresh_from_db()
    assert duo.status == "stopped"


def test_no_proof_before_forty_hours(duo):
    assert login("coordinator").get(f"/admin/duos/proof/{duo.pk}/").status_code != 200


def test_match_command_prints_scores_and_reasons(demo):
    from io import StringIO

    out = StringIO()
    call_command("match", "--programme", demo.programme.slug, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["programme"] == demo.programme.slug
    assert data["proposals"]
    first = data["proposals"][0]
    assert first["score"] > 0
    assert first["reasons"]
    text = StringIO()
    call_command("match", "--programme", demo.programme.slug, "--language", "en", stdout=text)
    assert "proposals" in text.getvalue()


def test_the_member_page_logs_and_confirms_in_their_language(duo):
    newcomer_url = f"/ar/duo/{duo_link_token(duo, 'newcomer')}/"
    volunteer_url = f"/nl/duo/{duo_link_token(duo, 'volunteer')}/"
    client = Client()
    page = client.get(newcomer_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "Griet" in body
    assert "Testvrijwillig" not in body
    assert 'name="robots" content="noindex"' in body
    response = client.post(
        newcomer_url,
        {
            "action": "log",
            "date": timezone.localdate().isoformat(),
            "minutes": "120",
            "activity": "Markt",
        },
    )
    assert response.status_code == 302
    meeting = duo.meetings.get()
    assert (meeting.logged_by, meeting.is_confirmed) == ("newcomer", False)
    # The newcomer cannot confirm their own meeting; the volunteer can.
    client.post(newcomer_url, {"action": "confirm", "meeting": meeting.pk})
    meeting.refresh_from_db()
    assert not meeting.is_confirmed
    assert "Markt" in client.get(volunteer_url).content.decode()
    client.post(volunteer_url, {"action": "confirm", "meeting": meeting.pk})
    meeting.refresh_from_db()
    assert meeting.confirmed_by == "volunteer"
    assert duo.confirmed_minutes() == 120


def test_a_link_cannot_touch_another_duos_meetings(demo, duo):
    other = Duo.objects.exclude(pk=duo.pk).first()
    foreign = Meeting.objects.create(
        duo=other, date=timezone.localdate(), minutes=60, logged_by="newcomer"
    )
    client = Client()
    url = f"/nl/duo/{duo_link_token(duo, 'volunteer')}/"
    response = client.post(url, {"action": "confirm", "meeting": foreign.pk})
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert not foreign.is_confirmed


def test_bad_and_revoked_links_get_a_clear_page(duo):
    client = Client()
    bad = client.get("/fr/duo/forged-token/")
    assert bad.status_code == 404
    with translation.override("fr"):
        message = translation.gettext("This link is not valid. Copy the whole link from the email.")
    assert escape(message) in bad.content.decode()
    token = duo_link_token(duo, "newcomer")
    services.duo_link_revoke(duo=duo, role="newcomer", user=None)
    assert client.get(f"/nl/duo/{token}/").status_code == 404


def test_bad_meeting_input_gets_a_message_not_an_error(duo):
    client = Client(raise_request_exception=False)
    url = f"/nl/duo/{duo_link_token(duo, 'newcomer')}/"
    for data in (
        {"action": "log", "date": "yesterday", "minutes": "60"},
        {"action": "log", "date": "2999-01-01", "minutes": "60"},
        {"action": "log", "minutes": "-5"},
        {"action": "confirm", "meeting": "abc"},
        {"action": "confirm"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert not duo.meetings.exists()


def test_the_demo_has_duos_with_meetings_and_one_past_forty_hours(demo):
    duos = Duo.objects.filter(programme_key=demo.programme.translation_key)
    assert duos.count() >= 3
    assert any(d.has_proof() for d in duos)
    assert Meeting.objects.filter(duo__in=duos, confirmed_at__isnull=True).exists()
    assert MatchProposal.objects.filter(
        programme_key=demo.programme.translation_key, status="draft"
    ).exists()


def test_coordinator_forms_with_bad_ids_get_no_server_error(demo, duo):
    client = login("coordinator")
    client.raise_request_exception = False
    for url, data in (
        (f"/admin/matching/{demo.programme.pk}/", {"action": "accept", "proposal": "abc"}),
        (f"/admin/matching/{demo.programme.pk}/", {"action": "change", "proposal": "1e9"}),
        (f"/admin/matching/{demo.programme.pk}/pairs/", {"action": "unexclude", "exclusion": "x"}),
        (f"/admin/matching/{demo.programme.pk}/pairs/", {"action": "picks", "chooser": "x"}),
        (f"/admin/duos/action/{duo.pk}/", {"action": "confirm", "meeting": "abc"}),
        (f"/admin/duos/action/{duo.pk}/", {"action": "end"}),
        (f"/admin/duos/action/{duo.pk}/", {"action": "nonsense"}),
    ):
        assert client.post(url, data).status_code < 500, (url, data)


def test_a_waiting_persons_page_ranks_their_best_matches(pair):
    newcomer, volunteer = pair
    with translation.override("nl"):
        page = login("coordinator").get(f"/admin/participants/inspect/{newcomer.pk}/")
    body = page.content.decode()
    assert escape(volunteer.full_name) in body
    assert "Molenwijk" in body


def test_the_arabic_duo_log_and_introduction_isolate_the_buddys_name(
    pair, django_capture_on_commit_callbacks
):
    from django.core import mail

    newcomer, volunteer = pair
    with django_capture_on_commit_callbacks(execute=True):
        duo = services.proposal_accept(
            proposal=MatchProposal.objects.create(
                programme_key=newcomer.programme_key,
                newcomer=newcomer,
                volunteer=volunteer,
                score=1,
            ),
            user=None,
            start=timezone.localdate(),
        )
    Meeting.objects.create(
        duo=duo, date=timezone.localdate(), minutes=60, activity="Markt", logged_by="volunteer"
    )
    body = Client().get(f"/ar/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    with translation.override("ar"):
        heading = translation.gettext("You and %(buddy)s") % {"buddy": "<bdi>Griet</bdi>"}
    assert f"<h1>{heading}</h1>" in body
    assert ": <bdi>Markt</bdi>" in body  # what they did, typed by a participant
    by_address = {m.to[0]: m for m in mail.outbox}
    to_newcomer, to_volunteer = by_address[newcomer.email], by_address[volunteer.email]
    assert "<bdi>Griet</bdi>" in to_newcomer.alternatives[0][0]
    assert "\u2068Griet\u2069" in to_newcomer.body
    assert "<bdi>Nadia</bdi>" in to_volunteer.alternatives[0][0]
    assert "\u2068" not in to_volunteer.body  # Dutch: plain text left alone
