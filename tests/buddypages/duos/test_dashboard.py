"""The coordinator's dashboard panel and the duo dates: what a person reads."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from buddypages.core.admin_dates import relative_day
from buddypages.duos import services
from buddypages.duos.admin import DuoDashboardPanel
from buddypages.duos.models import MatchProposal
from buddypages.registry.models import Participant, ParticipantLanguage

pytestmark = pytest.mark.django_db


def everyone():
    """Someone who sees every site's figures (the panel counts what its viewer may see)."""
    return get_user_model()(username="everyone", is_superuser=True)


def coordinator() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    return client


def waiting_speakers(code: str, role: str) -> int:
    """Counted the slow, obvious way: every waiting person of that role who speaks it."""
    return sum(
        1
        for person in Participant.objects.awaiting_match().filter(role=role)
        if code in person.spoken_language_codes()
    )


def test_supply_counts_volunteers_who_also_speak_dutch(demo, pair):
    newcomer, volunteer = pair
    ParticipantLanguage.objects.get_or_create(participant=volunteer, code="nl")
    ParticipantLanguage.objects.get_or_create(participant=volunteer, code="ar")
    ParticipantLanguage.objects.get_or_create(participant=newcomer, code="ar")
    with translation.override("en"):
        rows = {
            row["label"]: row
            for row in DuoDashboardPanel(user=everyone()).get_context_data()["languages"]
        }
    arabic = rows["Arabic"]
    assert arabic["volunteers"] == waiting_speakers("ar", "volunteer") >= 1
    assert arabic["newcomers"] == waiting_speakers("ar", "newcomer") >= 1
    assert "Dutch" not in rows  # everybody speaks it; the chart is about the other languages
    assert arabic["volunteer_width"] > 0


def test_the_dashboard_shows_each_figure_as_its_own_item(demo):
    content = coordinator().get("/admin/").content.decode()
    panel = content[content.index('id="duo-dashboard-heading"') :]
    summary = panel[panel.index("w-summary__list") : panel.index("</ul>")]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    texts = [re.sub(r"<[^>]+>", " ", item).split() for item in items]
    waiting = Participant.objects.awaiting_match()
    assert [words[0] for words in texts[:2]] == [
        str(waiting.filter(role="newcomer").count()),
        str(waiting.filter(role="volunteer").count()),
    ]
    assert len(items) == 4


def test_relative_days_point_the_right_way():
    today = date(2026, 12, 4)
    with translation.override("en"):
        assert relative_day(today, today=today) == "today"
        assert relative_day(today + timedelta(days=1), today=today) == "tomorrow"
        assert relative_day(today + timedelta(days=92), today=today) == "in 3\xa0months"
        assert relative_day(today - timedelta(days=14), today=today) == "2\xa0weeks ago"


def test_future_dates_in_the_duo_list_read_as_future_dates(demo, pair):
    newcomer, volunteer = pair
    proposal = MatchProposal.objects.create(
        programme_key=newcomer.programme_key, newcomer=newcomer, volunteer=volunteer, score=1
    )
    duo = services.proposal_accept(
        proposal=proposal, user=None, start=timezone.localdate() - timedelta(days=3)
    )
    client = coordinator()
    with translation.override("en"):
        response = client.get("/admin/duos/", {"q": "Nadia"}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    row = content[content.index(escape(str(duo))) :]
    row = row[: row.index("</tr>")]
    assert "Just now" not in row
    assert f'datetime="{duo.planned_end.isoformat()}"' in row
    assert f'datetime="{duo.feedback_due.isoformat()}"' in row
    assert "(in 5\xa0months)" in row or "(in 6\xa0months)" in row  # planned end, six months on
    assert "(in 2\xa0months)" in row or "(in 3\xa0months)" in row  # midway feedback
    assert "(3\xa0days ago)" in row  # the start
