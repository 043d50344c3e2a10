from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone, translation

from buddypages.duos import services
from buddypages.duos.models import Duo, MatchExclusion, MatchProposal, Meeting
from buddypages.duos.tokens import duo_link_token
from buddypages.registry.models import Participant

pytestmark = pytest.mark.django_db


def proposal_for(newcomer, volunteer):
    return MatchProposal.objects.create(
        programme_key=newcomer.programme_key,
        newcomer=newcomer,
        volunteer=volunteer,
        score=1,
        reasons=[],
    )


def make_duo(pair, **kwargs):
    newcomer, volunteer = pair
    return services.proposal_accept(proposal=proposal_for(newcomer, volunteer), user=None, **kwargs)


def test_proposals_pair_people_waiting_and_explain_why(pair):
    newcomer, volunteer = pair
    programme = SimpleNamespace(translation_key=newcomer.programme_key)
    (proposal,) = services.proposals_create(programme=programme)
    assert (proposal.newcomer, proposal.volunteer) == (newcomer, volunteer)
    with translation.override("en"):
        texts = proposal.reason_texts()
    assert "1 shared interest: Cooking" in texts
    assert "both in Molenwijk" in texts
    assert "both free on Monday morning" in texts
    with translation.override("nl"):
        dutch = proposal.reason_texts()
    assert any("Koken" in text for text in dutch)
    # Running it again replaces the drafts instead of adding to them.
    services.proposals_create(programme=programme)
    assert MatchProposal.objects.filter(programme_key=newcomer.programme_key).count() == 1


def test_accepting_makes_a_duo_and_introduces_each_in_their_language(
    pair, django_capture_on_commit_callbacks
):
    newcomer, volunteer = pair
    with django_capture_on_commit_callbacks(execute=True):
        duo = make_duo(pair, introduction="Jullie koken allebei graag.")
    assert (duo.newcomer, duo.volunteer, duo.status) == (newcomer, volunteer, "active")
    assert duo.planned_end > duo.start_date
    assert duo.start_date < duo.feedback_due < duo.planned_end
    newcomer.refresh_from_db()
    volunteer.refresh_from_db()
    assert (newcomer.status, volunteer.status) == ("matched", "matched")
    by_address = {m.to[0]: m for m in mail.outbox}
    to_newcomer = by_address[newcomer.email]
    with translation.override("ar"):
        subject = translation.gettext("Meet your buddy: %(name)s") % {"name": "Griet"}
    assert to_newcomer.subject == subject
    assert "Griet" in to_newcomer.body
    assert "Testvrijwillig" not in to_newcomer.body
    assert volunteer.email not in to_newcomer.body
    assert "Jullie koken allebei graag." in to_newcomer.body
    assert "Nadia" in by_address[volunteer.email].body
    assert "/ar/duo/" in to_newcomer.body
    assert "/nl/duo/" in by_address[volunteer.email].body


def test_hard_constraints_hold_when_accepting(pair):
    newcomer, volunteer = pair
    MatchExclusion.objects.create(newcomer=newcomer, volunteer=volunteer)
    with pytest.raises(services.DuoError):
        make_duo(pair)
    MatchExclusion.objects.all().delete()
    newcomer.buddy_gender = "woman"
    volunteer.gender = "man"
    newcomer.save()
    volunteer.save()
    with pytest.raises(services.DuoError):
        make_duo(pair)
    assert not Duo.objects.filter(newcomer=newcomer).exists()


def test_a_volunteer_with_no_place_left_is_not_matched_again(demo, pair):
    newcomer, volunteer = pair
    make_duo(pair)
    other = Participant.objects.create(
        programme=demo.programme,
        programme_key=newcomer.programme_key,
        role="newcomer",
        status="waiting",
        first_name="Tweede",
        last_name="Nieuw",
        email="tweede@example.net",
        form_language="nl",
    )
    with pytest.raises(services.DuoError):
        make_duo((other, volunteer))
    cohort = services.cohort_for(newcomer.programme_key)
    assert volunteer.pk not in [v.pk for v in cohort.volunteers]


def test_meetings_count_when_confirmed_by_the_other_member(pair):
    duo = make_duo(pair)
    yesterday = timezone.localdate() - timedelta(days=1)
    duo.start_date = yesterday - timedelta(days=30)
    duo.save()
    meeting = services.meeting_log(duo=duo, by="newcomer", on=yesterday, minutes=120)
    assert duo.confirmed_minutes() == 0
    with pytest.raises(services.DuoError):
        services.meeting_confirm(meeting=meeting, by="newcomer")  # not your own
    services.meeting_confirm(meeting=meeting, by="volunteer")
    assert duo.confirmed_minutes() == 120
    services.meeting_log(duo=duo, by="coordinator", on=yesterday, minutes=60)
    services.meeting_log(duo=duo, by="volunteer", on=yesterday, minutes=90)  # unconfirmed
    assert duo.confirmed_minutes() == 180
    assert Duo.objects.with_hours().get(pk=duo.pk).confirmed_minutes() == 180
    duo.newcomer.refresh_from_db()
    assert duo.newcomer.status == "active"  # the first confirmed meeting


def test_bad_meetings_are_refused(pair):
    duo = make_duo(pair)
    with pytest.raises(services.DuoError):
        services.meeting_log(
            duo=duo, by="newcomer", on=timezone.localdate() + timedelta(days=1), minutes=60
        )
    with pytest.raises(services.DuoError):
        services.meeting_log(duo=duo, by="newcomer", on=timezone.localdate(), minutes=5)


def test_proof_at_forty_confirmed_hours(pair):
    duo = make_duo(pair)
    for _ in range(13):
        services.meeting_log(duo=duo, by="coordinator", on=timezone.localdate(), minutes=180)
    assert not duo.has_proof()
    services.meeting_log(duo=duo, by="coordinator", on=timezone.localdate(), minutes=60)
    assert duo.has_proof()
    assert duo.progress_percent() == 100


def test_links_cannot_be_forged_reused_after_revocation_or_used_for_another_duo(demo, pair):
    duo = make_duo(pair)
    token = duo_link_token(duo, "newcomer")
    assert services.duo_from_token(token) == (duo, "newcomer")
    with pytest.raises(services.DuoError):
        services.duo_from_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(services.DuoError):
        services.duo_from_token("not-a-token")
    services.duo_link_revoke(duo=duo, role="newcomer", user=None)
    duo.refresh_from_db()
    with pytest.raises(services.DuoError):
        services.duo_from_token(token)
    assert services.duo_from_token(duo_link_token(duo, "newcomer")) == (duo, "newcomer")
    # The volunteer's link still works, and says it is the volunteer's.
    assert services.duo_from_token(duo_link_token(duo, "volunteer"))[1] == "volunteer"


def test_stopping_sends_members_back_to_the_waiting_list_if_they_wish(pair):
    duo = make_duo(pair)
    services.duo_end(
        duo=duo, user=None, completed=False, reason="verhuisd", back_to_waiting=("newcomer",)
    )
    duo.refresh_from_db()
    assert (duo.status, duo.stop_reason) == ("stopped", "verhuisd")
    duo.newcomer.refresh_from_db()
    duo.volunteer.refresh_from_db()
    assert duo.newcomer.status == "waiting"
    assert duo.newcomer.waiting_since is not None
    assert duo.volunteer.status == "stopped"
    # They are never proposed to each other again.
    cohort = services.cohort_for(duo.programme_key)
    assert (duo.newcomer_id, duo.volunteer_id) in cohort.context.excluded


def test_feedback_is_due_at_half_time(pair):
    duo = make_duo(pair, start=timezone.localdate() - timedelta(days=100))
    assert duo in Duo.objects.feedback_due()
    services.duo_feedback_done(duo=duo, user=None)
    assert duo not in Duo.objects.feedback_due()


def test_erasing_a_member_removes_their_duos_and_meetings(pair):
    from buddypages.registry.data_protection import participant_erase

    duo = make_duo(pair)
    services.meeting_log(duo=duo, by="coordinator", on=timezone.localdate(), minutes=60)
    participant_erase(participant=duo.newcomer, user=None)
    assert not Duo.objects.filter(pk=duo.pk).exists()
    assert not Meeting.objects.filter(duo_id=duo.pk).exists()


def test_the_persons_export_includes_their_duos_and_meetings(pair):
    from buddypages.registry.data_protection import participant_export

    duo = make_duo(pair)
    services.meeting_log(
        duo=duo, by="coordinator", on=timezone.localdate(), minutes=60, activity="Bibliotheek"
    )
    data = participant_export(participant=duo.newcomer, user=None)
    (exported,) = data["duos"]
    assert exported["buddy_first_name"] == "Griet"
    assert exported["meetings"][0]["activity"] == "Bibliotheek"


def test_coordinators_are_reminded_of_feedback_due_without_names(pair, settings):
    from django.contrib.auth import get_user_model

    from buddypages.duos.tasks import remind_feedback_due

    duo = make_duo(pair, start=timezone.localdate() - timedelta(days=100))
    get_user_model().objects.filter(username="coordinator").update(email="coord@example.net")
    mail.outbox = []
    assert remind_feedback_due.enqueue().return_value >= 1
    reminder = next(m for m in mail.outbox if m.to == ["coord@example.net"])
    assert "/admin/" in reminder.body
    assert duo.newcomer.first_name not in reminder.body + reminder.subject


def test_the_nightly_jobs_are_queued_once_on_the_database_queue(db, settings):
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    apps.get_app_config("buddypages").schedule_nightly_jobs()
    apps.get_app_config("buddypages").schedule_nightly_jobs()
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(p.rsplit(".", 1)[1] for p in paths) == ["apply_retention", "remind_feedback_due"]


def test_erasure_also_forgets_the_admin_log_of_their_duos(pair):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from wagtail.log_actions import log

    from buddypages.pages.history import SiteLogEntry
    from buddypages.registry.data_protection import participant_erase

    duo = make_duo(pair)
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="coordinator"))
    edit = staff.get(f"/admin/duos/edit/{duo.pk}/")
    assert edit.status_code == 200
    log(duo, "wagtail.edit")
    logged = SiteLogEntry.objects.filter(content_type__model="duo", object_id=str(duo.pk))
    assert logged.exists()
    assert not logged.filter(label__contains="Nadia").exists()  # by number only
    participant_erase(participant=duo.newcomer, user=None)
    assert not logged.exists()
