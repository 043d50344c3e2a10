"""The demo shows what the coordinator's screens are for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from buddypages.duos.models import Duo
from buddypages.registry.models import Participant

pytestmark = pytest.mark.django_db


def test_waiting_volunteers_speak_the_newcomers_languages(demo):
    """Former newcomers make good buddies: supply against demand means something."""
    spoken = {
        code
        for volunteer in Participant.objects.awaiting_match().filter(role="volunteer")
        for code in volunteer.spoken_language_codes()
    }
    assert {"nl", "ar", "uk", "ti"} <= spoken


def test_the_demo_duos_are_at_different_stages(demo):
    duos = list(Duo.objects.filter(programme_key=demo.programme.translation_key))
    today = timezone.localdate()
    started = {duo.start_date for duo in duos if duo.status == "active"}
    assert any(today - day <= timedelta(days=7) for day in started), "none just started"
    assert any(
        duo.status == "active"
        and duo.feedback_done_at is None
        and today <= duo.feedback_due <= today + timedelta(days=7)
        for duo in duos
    ), "no midway feedback due this week"
    assert any(duo.status == "active" and 30 <= duo.confirmed_hours() < 40 for duo in duos), (
        "none near 40 hours"
    )
    completed = [duo for duo in duos if duo.status == "completed"]
    assert completed
    assert completed[0].has_proof()
    assert completed[0].ended_on < today
    assert completed[0].newcomer.status == "completed"
