"""The duos' part in the registry's data protection and admin, through its signals and hook
(the registry sits below the duos and never imports them)."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from buddypages.duos import services
from buddypages.duos.models import Meeting
from buddypages.registry.data_protection import participant_anonymise
from tests.buddypages.duos.test_services import make_duo


def test_anonymising_a_member_clears_what_was_written_about_their_duo(pair):
    duo = make_duo(pair, introduction="Nadia kookt graag, Griet ook.")
    services.meeting_log(
        duo=duo, by="coordinator", on=timezone.localdate(), minutes=90, activity="Markt"
    )
    participant_anonymise(participant=duo.newcomer)
    duo.refresh_from_db()
    meeting = Meeting.objects.get(duo=duo)
    assert duo.introduction == ""
    assert meeting.activity == ""
    assert meeting.minutes == 90  # the hours of the 40-hour proof stay


def test_a_waiting_participants_page_suggests_buddies_from_matching(pair):
    newcomer, _volunteer = pair
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="coordinator"))
    page = staff.get(f"/admin/participants/inspect/{newcomer.pk}/").content.decode()
    assert "Griet Testvrijwillig" in page
    assert "Molenwijk" in page  # a reason: the same neighbourhood
