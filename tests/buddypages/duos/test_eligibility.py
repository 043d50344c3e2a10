"""Matching's hard rules: no volunteer is ever proposed without an acknowledgement of the
note in force, a valid insurance period and (when the programme asks it) the basic
training; each one left out is listed with the right reason."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buddypages.duos import eligibility, services
from buddypages.duos.models import MatchProposal, MatchWeights
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    InsurancePolicy,
    NoteAcknowledgement,
    TrainingAttendance,
)
from tests.buddypages.registry.helpers import make_ready, participant, volunteer_paperwork

pytestmark = pytest.mark.django_db


def people(programme, key, n_newcomers, volunteer_flags):
    """Waiting newcomers and volunteers, each volunteer with (acknowledged, insured,
    trained) as given."""
    newcomers = [
        participant(
            programme,
            programme_key=key,
            role="newcomer",
            status="waiting",
            waiting_since=timezone.now(),
            availability=0b1,
        )
        for _ in range(n_newcomers)
    ]
    note, policy = volunteer_paperwork(programme, key)
    volunteers = []
    for acknowledged, insured, trained in volunteer_flags:
        volunteer = participant(
            programme,
            ready=False,
            programme_key=key,
            role="volunteer",
            status="waiting",
            waiting_since=timezone.now(),
            availability=0b1,
        )
        if acknowledged:
            NoteAcknowledgement.objects.create(
                participant=volunteer,
                note=note,
                note_key=note.translation_key,
                version=note.version,
                language="nl",
            )
        if insured:
            InsuranceCover.objects.create(
                participant=volunteer, policy=policy, starts_on=policy.valid_from
            )
        if trained:
            TrainingAttendance.objects.create(
                participant=volunteer,
                activity_key=uuid.uuid4(),
                occurrence_start=timezone.now() - timedelta(days=3),
                topic="basic",
                title="Basisvorming",
                minutes=120,
            )
        volunteers.append(volunteer)
    return newcomers, volunteers


def expected_reasons(acknowledged, insured, trained, requires_training):
    reasons = []
    if not acknowledged:
        reasons.append(eligibility.NOTE_NOT_ACKNOWLEDGED)
    if not insured:
        reasons.append(eligibility.NOT_INSURED)
    if requires_training and not trained:
        reasons.append(eligibility.NO_BASIC_TRAINING)
    return reasons


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_newcomers=st.integers(min_value=1, max_value=4),
    flags=st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=5),
    requires_training=st.booleans(),
)
def test_no_proposal_ever_holds_a_blocked_volunteer(demo, n_newcomers, flags, requires_training):
    key = uuid.uuid4()  # each example its own programme
    MatchWeights.objects.create(programme_key=key, requires_basic_training=requires_training)
    newcomers, volunteers = people(demo.programme, key, n_newcomers, flags)
    cohort, pairs = services.match_run(programme_key=key)
    proposed = {cohort.volunteers[j].pk for _i, j in pairs}
    listed = {v.pk: codes for v, codes in cohort.blocked}
    assert listed == {
        v.pk: expected_reasons(*f, requires_training)
        for v, f in zip(volunteers, flags, strict=True)
        if expected_reasons(*f, requires_training)
    }
    assert not proposed & set(listed)
    ready = {v.pk for v in volunteers} - set(listed)
    # Everyone who meets the rules can be proposed (the score decides who is).
    assert {v.pk for v in cohort.volunteers} == ready
    if ready:
        assert pairs


def test_without_a_note_or_a_policy_nobody_is_proposed_and_the_page_says_why(demo):
    key = uuid.uuid4()
    newcomer = participant(
        demo.programme, programme_key=key, role="newcomer", status="waiting", availability=1
    )
    volunteer = participant(
        demo.programme,
        ready=False,
        programme_key=key,
        role="volunteer",
        status="waiting",
        availability=1,
    )
    blocked = eligibility.volunteers_blocked([volunteer.pk], programme_key=key)
    assert blocked == {volunteer.pk: [eligibility.NO_NOTE, eligibility.NO_POLICY]}
    assert services.match_run(programme_key=key)[1] == []
    proposal = MatchProposal.objects.create(
        programme_key=key, newcomer=newcomer, volunteer=volunteer, score=1
    )
    with pytest.raises(services.DuoError) as refused:
        services.proposal_accept(proposal=proposal, user=None)
    assert str(eligibility.REASONS[eligibility.NO_NOTE]) in refused.value.message


def test_an_expired_policy_or_a_note_in_draft_do_not_count(demo):
    key = uuid.uuid4()
    volunteer = participant(
        demo.programme, programme_key=key, role="volunteer", status="waiting", availability=1
    )
    assert eligibility.volunteers_blocked([volunteer.pk], programme_key=key) == {}
    InsurancePolicy.objects.filter(programme_key=key).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    note = InformationNote.objects.get(programme_key=key)
    note.pk = None
    note.translation_key = uuid.uuid4()
    note.version = 2
    note.published_at = None  # a draft of version 2
    note.save()
    assert eligibility.volunteers_blocked([volunteer.pk], programme_key=key) == {
        volunteer.pk: [eligibility.NO_POLICY]
    }


def test_accepting_or_changing_to_a_blocked_volunteer_is_refused_with_the_reason(pair):
    newcomer, volunteer = pair
    other = participant(
        newcomer.programme,
        ready=False,
        programme_key=newcomer.programme_key,
        role="volunteer",
        status="waiting",
        availability=1,
    )
    proposal = MatchProposal.objects.create(
        programme_key=newcomer.programme_key, newcomer=newcomer, volunteer=volunteer, score=1
    )
    with pytest.raises(services.DuoError) as refused:
        services.proposal_change(proposal=proposal, volunteer=other, user=None)
    assert str(eligibility.REASONS[eligibility.NOTE_NOT_ACKNOWLEDGED]) in refused.value.message
    # The volunteer's insurance ends before the coordinator accepts.
    volunteer.insurance_covers.update(ends_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(services.DuoError) as refused:
        services.proposal_accept(proposal=proposal, user=None)
    assert str(eligibility.REASONS[eligibility.NOT_INSURED]) in refused.value.message
    make_ready(other)
    services.proposal_change(proposal=proposal, volunteer=other, user=None)
    assert services.proposal_accept(proposal=proposal, user=None).volunteer == other


def test_basic_training_counts_only_before_the_first_duo(pair):
    newcomer, volunteer = pair
    key = newcomer.programme_key
    MatchWeights.objects.update_or_create(
        programme_key=key, defaults={"requires_basic_training": True}
    )
    blocked = eligibility.volunteers_blocked([volunteer.pk], programme_key=key)
    assert blocked == {volunteer.pk: [eligibility.NO_BASIC_TRAINING]}
    volunteer.max_duos = 2
    volunteer.save()
    services.duo_create(newcomer=newcomer, volunteer=volunteer)
    assert eligibility.volunteers_blocked([volunteer.pk], programme_key=key) == {}


def test_the_matching_page_lists_who_is_not_proposed_in_the_coordinators_language(demo):
    from django.contrib.auth import get_user_model

    client = Client()
    user = get_user_model().objects.get(username="coordinator")
    client.force_login(user)
    key = demo.programme.translation_key
    blocked = services.volunteers_not_proposed(key)
    assert blocked, "the demo leaves some volunteers without their paperwork"
    html = client.get(reverse("matching_programme", args=[demo.programme.pk])).content.decode()
    with translation.override("nl"):
        heading = translation.gettext("Not proposed")
        reason = str(eligibility.REASONS[blocked[0][1][0]])
    assert heading in html
    assert reason in html
    assert reverse("participants:inspect", args=[blocked[0][0].pk]) in html
