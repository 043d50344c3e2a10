"""The matching algorithm on plain data: optimal, within hard constraints, explained."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buddypages.duos.matching import Candidate, Context, assign, rank, score_matrix
from buddypages.duos.reasons import pair_reasons

KEYS = ["cycling", "cooking", "football", "music"]
PLACES = ["", "Centrum", "Molenwijk"]
POSTCODES = ["2990", "2991", "2800"]
HOUSEHOLDS = ["", "alone", "children", "partner_children"]
LANGUAGES = ["ar", "fr", "nl", "uk"]
BANDS = ["", "18-25", "26-35", "36-50"]
GENDERS = ["", "woman", "man"]


@st.composite
def candidate(draw, pk, volunteer=False):
    return Candidate(
        pk=pk,
        interests=frozenset(draw(st.sets(st.sampled_from(KEYS), max_size=3))),
        neighbourhood=draw(st.sampled_from(PLACES)),
        postcode=draw(st.sampled_from(POSTCODES)),
        household=draw(st.sampled_from(HOUSEHOLDS)),
        availability=draw(st.integers(0, 2**21 - 1)),
        languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
        age_band=draw(st.sampled_from(BANDS)),
        dutch_level=draw(st.sampled_from(["none", "a1", "b1"])),
        gender=draw(st.sampled_from(GENDERS)),
        buddy_gender=draw(st.sampled_from(["", "", "woman", "man"])),
        waiting_days=draw(st.integers(0, 400)),
        capacity=draw(st.integers(0, 2)) if volunteer else 1,
    )


@st.composite
def instance(draw):
    n = draw(st.integers(0, 4))
    v = draw(st.integers(0, 3))
    newcomers = [draw(candidate(i + 1)) for i in range(n)]
    volunteers = [draw(candidate(100 + j, volunteer=True)) for j in range(v)]
    pairs = [(a.pk, b.pk) for a in newcomers for b in volunteers]
    excluded = set(draw(st.lists(st.sampled_from(pairs), max_size=2))) if pairs else set()
    everyone = [c.pk for c in newcomers + volunteers]
    picks = (
        set(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(everyone), st.sampled_from(everyone)), max_size=4
                )
            )
        )
        if everyone
        else set()
    )
    return newcomers, volunteers, Context(excluded=excluded, picks=picks)


def brute_force(scores, feasible, capacities):
    """The best total over every assignment of each newcomer to a volunteer or to nobody."""
    n, v = scores.shape
    best = 0.0
    for choice in itertools.product([None, *range(v)], repeat=n):
        used = [0] * v
        total = 0.0
        ok = True
        for i, j in enumerate(choice):
            if j is None:
                continue
            used[j] += 1
            if not feasible[i, j] or used[j] > capacities[j]:
                ok = False
                break
            total += scores[i, j]
        if ok:
            best = max(best, total)
    return best


@settings(max_examples=300, deadline=None)
@given(instance())
def test_the_assignment_is_optimal_and_never_breaks_a_hard_constraint(data):
    newcomers, volunteers, context = data
    scores, feasible = score_matrix(newcomers, volunteers, context=context)
    capacities = [c.capacity for c in volunteers]
    pairs = assign(scores, feasible, capacities)

    total = sum(scores[i, j] for i, j in pairs)
    assert total == pytest.approx(brute_force(scores, feasible, capacities))
    assert len({i for i, _ in pairs}) == len(pairs)  # a newcomer gets one buddy at most
    for j, volunteer in enumerate(volunteers):
        assert sum(1 for _, jj in pairs if jj == j) <= volunteer.capacity
    for i, j in pairs:
        newcomer, volunteer = newcomers[i], volunteers[j]
        assert (newcomer.pk, volunteer.pk) not in context.excluded
        assert newcomer.buddy_gender in ("", volunteer.gender)
        assert volunteer.buddy_gender in ("", newcomer.gender)


@settings(max_examples=200, deadline=None)
@given(instance())
def test_reasons_name_the_real_shared_attributes(data):
    newcomers, volunteers, context = data
    for newcomer in newcomers:
        for volunteer in volunteers:
            reasons = {r["code"]: r["values"] for r in pair_reasons(newcomer, volunteer, context)}
            shared = sorted(newcomer.interests & volunteer.interests)
            assert reasons.get("interests", []) == shared
            overlap = newcomer.availability & volunteer.availability
            assert reasons.get("availability", [0]) == [overlap] or not overlap
            languages = sorted((newcomer.languages & volunteer.languages) - {"nl"})
            assert (reasons.get("language") or reasons.get("language_beginner") or []) == languages
            if "neighbourhood" in reasons:
                assert newcomer.neighbourhood.lower() == volunteer.neighbourhood.lower() != ""


def test_waiting_longer_goes_first_when_there_are_too_few_volunteers():
    same = {"interests": frozenset({"cooking"}), "postcode": "2990"}
    early = Candidate(pk=1, waiting_days=150, **same)
    late = Candidate(pk=2, waiting_days=5, **same)
    volunteer = Candidate(pk=100, capacity=1, **same)
    scores, feasible = score_matrix([late, early], [volunteer])
    assert assign(scores, feasible, [1]) == [(1, 0)]  # the one who waited 150 days


def test_a_mutual_speed_date_choice_weighs_strongly():
    b = Candidate(pk=2)
    close = Candidate(pk=100, interests=frozenset({"x"}), capacity=1)
    picked = Candidate(pk=101, capacity=1)
    a = Candidate(pk=1, interests=frozenset({"x"}))
    context = Context(picks={(1, 101), (101, 1)})
    scores, feasible = score_matrix([a, b], [close, picked], context=context)
    assert scores[0, 1] > scores[0, 0]  # 10 for the mutual pick beats 3 for an interest
    one_way, _f = score_matrix([a, b], [close, picked], context=Context(picks={(1, 101)}))
    assert one_way[0, 1] < scores[0, 1]


def test_capacity_two_takes_two_newcomers():
    newcomers = [Candidate(pk=i) for i in range(1, 4)]
    volunteer = Candidate(pk=100, capacity=2)
    scores, feasible = score_matrix(newcomers, [volunteer])
    assert len(assign(scores, feasible, [2])) == 2


def test_rank_lists_feasible_partners_best_first():
    newcomer = Candidate(pk=1, interests=frozenset({"a", "b"}), buddy_gender="woman")
    volunteers = [
        Candidate(pk=100, interests=frozenset({"a"}), gender="woman"),
        Candidate(pk=101, interests=frozenset({"a", "b"}), gender="woman"),
        Candidate(pk=102, interests=frozenset({"a", "b"}), gender="man"),
    ]
    scores, feasible = score_matrix([newcomer], volunteers)
    assert [j for j, _score in rank(scores, feasible, 0, of="newcomer")] == [1, 0]
    assert not np.any(feasible[0, 2])
