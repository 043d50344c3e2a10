"""Erasure and anonymisation across the coordinator's cycle (issue 18): a person's
acknowledgements, insurance periods, trainings, goals, feedback, questions and vouchers go
with them; the counts that must survive (voucher stock and use) stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from buddypages.duos.models import (
    Duo,
    DuoFeedback,
    DuoGoal,
    DuoQuestion,
    GoalRating,
    Voucher,
    VoucherOffer,
)
from buddypages.registry.data_protection import participant_anonymise, participant_erase
from buddypages.registry.models import Consent, Participant
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    InsurancePolicy,
    NoteAcknowledgement,
    TrainingAttendance,
)
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db

SECRET = "Zebulonia"


@pytest.fixture
def cycle(demo):
    """A duo with everything issue 18 can hold about its two members."""
    programme = demo.programme
    today = timezone.localdate()
    newcomer = participant(programme, role="newcomer", status="active", first_name=SECRET)
    volunteer = participant(programme, role="volunteer", status="active", last_name=SECRET)
    note = InformationNote.objects.create(
        programme=programme,
        version=7,
        title="Organisatienota",
        body="<p>Wie organiseert, verzekering, aansprakelijkheid.</p>",
        published_at=timezone.now(),
        locale=programme.locale,
    )
    NoteAcknowledgement.objects.create(
        participant=volunteer, note=note, note_key=note.translation_key, version=7, language="nl"
    )
    Consent.objects.create(
        participant=volunteer,
        purpose=Consent.Purpose.INFORMATION_NOTE,
        given=True,
        text_version=note.version_label,
        method=Consent.Method.EMAIL_LINK,
        language="nl",
    )
    policy = InsurancePolicy.objects.create(
        programme=programme,
        insurer="Verzekeraar",
        policy_number="P-1",
        covers="Burgerlijke aansprakelijkheid",
        valid_from=today - timedelta(days=30),
    )
    InsuranceCover.objects.create(participant=volunteer, policy=policy, starts_on=today)
    training = demo.calendar.get_children().first()
    TrainingAttendance.objects.create(
        participant=volunteer,
        activity_id=training.pk,
        activity_key=training.translation_key,
        occurrence_start=timezone.now() - timedelta(days=3),
        topic="basic",
        title="Basisvorming",
        minutes=120,
    )
    end, midway = Duo.planned_dates(today - timedelta(days=100), 6)
    duo = Duo.objects.create(
        programme=programme,
        programme_key=programme.translation_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=today - timedelta(days=100),
        planned_end=end,
        feedback_due=midway,
    )
    goal = DuoGoal.objects.create(duo=duo, text=f"Fietsen leren met {SECRET}")
    DuoGoal.objects.create(duo=duo, key="doctor", position=1)
    for role in ("newcomer", "volunteer"):
        answer = DuoFeedback.objects.create(
            duo=duo, role=role, moment="midway", overall=4, comment=f"{SECRET} is fijn"
        )
        GoalRating.objects.create(feedback=answer, goal=goal, face=5)
    DuoQuestion.objects.create(duo=duo, role="volunteer", text=f"Huur voor {SECRET}?")
    offer = VoucherOffer.objects.create(
        partner_name="Zwembad", what="Twee tickets", quantity=10, stock=8, used_count=1
    )
    Voucher.objects.create(offer=offer, duo=duo, code="ABCD2345", used_at=timezone.now())
    Voucher.objects.create(offer=offer, duo=duo, code="EFGH6789")
    return newcomer, volunteer, duo, offer


def _rows_of(duo_pk, person_pk):
    return {
        "acknowledgements": NoteAcknowledgement.objects.filter(participant=person_pk).count(),
        "insurance": InsuranceCover.objects.filter(participant=person_pk).count(),
        "trainings": TrainingAttendance.objects.filter(participant=person_pk).count(),
        "consents": Consent.objects.filter(participant=person_pk).count(),
        "goals": DuoGoal.objects.filter(duo=duo_pk).count(),
        "feedback": DuoFeedback.objects.filter(duo=duo_pk).count(),
        "ratings": GoalRating.objects.filter(goal__duo=duo_pk).count(),
        "questions": DuoQuestion.objects.filter(duo=duo_pk).count(),
        "vouchers": Voucher.objects.filter(duo=duo_pk).count(),
    }


def test_erasing_the_volunteer_removes_everything_of_the_cycle(cycle, django_user_model):
    _newcomer, volunteer, duo, offer = cycle
    assert set(_rows_of(duo.pk, volunteer.pk).values()) != {0}
    participant_erase(participant=volunteer, user=None)
    assert _rows_of(duo.pk, volunteer.pk) == dict.fromkeys(_rows_of(duo.pk, volunteer.pk), 0)
    assert not Participant.objects.filter(pk=volunteer.pk).exists()
    # The partner's report still counts what was handed out and used.
    offer.refresh_from_db()
    assert (offer.quantity - offer.stock, offer.used_count) == (2, 1)


def test_erasing_the_newcomer_removes_the_duo_goals_feedback_and_vouchers(cycle):
    newcomer, _volunteer, duo, _offer = cycle
    participant_erase(participant=newcomer, user=None)
    rows = _rows_of(duo.pk, newcomer.pk)
    assert {
        key: rows[key] for key in ("goals", "feedback", "ratings", "questions", "vouchers")
    } == {
        "goals": 0,
        "feedback": 0,
        "ratings": 0,
        "questions": 0,
        "vouchers": 0,
    }


def test_anonymising_keeps_the_faces_and_drops_the_words(cycle):
    newcomer, _volunteer, duo, _offer = cycle
    participant_anonymise(participant=newcomer)
    texts = [
        *DuoGoal.objects.filter(duo=duo).values_list("text", flat=True),
        *DuoFeedback.objects.filter(duo=duo).values_list("comment", flat=True),
        *DuoQuestion.objects.filter(duo=duo).values_list("text", flat=True),
    ]
    assert not [text for text in texts if SECRET in text]
    assert sorted(DuoFeedback.objects.filter(duo=duo).values_list("overall", flat=True)) == [4, 4]
    assert GoalRating.objects.filter(goal__duo=duo).count() == 2
