"""Whole-cohort matching: score every newcomer-volunteer pair at once, then find
the assignment with the highest total score.

Pure functions on plain data (no database), so they can be tested against a
brute force and benchmarked on 1,000 x 1,000.

How a pair is scored (``weights`` are the programme's MatchWeights):

* interests: ``weights.interests`` per shared interest, counted up to 4;
* place: ``weights.place`` for the same neighbourhood, 80% of it for the same
  postcode, 40% for a postcode in the same area (first three digits equal);
* household: full weight for the same household, half for "with children" and
  "with partner and children";
* availability: shared free moments in the week, full weight from 3;
* language: a language both speak besides Dutch, times 1.5 when the newcomer
  speaks no or very little Dutch (none, A1);
* age: full weight for the same age band, half for the next one;
* speed date: ``speed_date_mutual`` when both picked each other, else
  ``speed_date_one_way`` when one did;
* waiting: ``weights.waiting`` per month each of the two has waited (up to six
  months each). With more people than places this decides who goes first:
  people who waited longer are matched first when the rest is equal.

Hard constraints are never broken: a volunteer gets at most as many newcomers
as places left (``capacity``), an excluded pair is never proposed, and a stated
wish about the buddy's gender is always respected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

AGE_BANDS = ["18-25", "26-35", "36-50", "51-65", "66+"]
BEGINNER_LEVELS = frozenset({"none", "a1"})
MAX_INTERESTS = 4
FULL_AVAILABILITY = 3
MAX_WAITING_MONTHS = 6
SIMILAR_HOUSEHOLDS = frozenset({frozenset({"children", "partner_children"})})
INFEASIBLE = -1e9

DEFAULT_WEIGHTS = {
    "interests": 3.0,
    "place": 4.0,
    "household": 2.0,
    "availability": 3.0,
    "language": 2.0,
    "age": 1.0,
    "speed_date_mutual": 10.0,
    "speed_date_one_way": 2.0,
    "waiting": 1.0,
}


@dataclass(frozen=True)
class Candidate:
    """What matching needs to know of a participant."""

    pk: int
    interests: frozenset[str] = frozenset()
    neighbourhood: str = ""
    postcode: str = ""
    household: str = ""
    availability: int = 0
    languages: frozenset[str] = frozenset()
    age_band: str = ""
    dutch_level: str = ""
    gender: str = ""
    buddy_gender: str = ""
    waiting_days: int = 0
    capacity: int = 1  # volunteers: duos they can still take on


@dataclass
class Context:
    """What the coordinator recorded about pairs: exclusions and speed-date picks."""

    excluded: set[tuple[int, int]] = field(default_factory=set)  # (newcomer pk, volunteer pk)
    picks: set[tuple[int, int]] = field(default_factory=set)  # (chooser pk, chosen pk)


def _codes(values: list[str]) -> np.ndarray:
    """Equal non-empty strings get equal codes; empty ones get unique negative codes."""
    table: dict[str, int] = {}
    out = np.empty(len(values), dtype=np.int64)
    for index, value in enumerate(values):
        out[index] = table.setdefault(value, len(table)) if value else -(index + 1)
    return out


def _membership(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for row, items in enumerate(sets):
        for item in items:
            matrix[row, vocabulary[item]] = 1.0
    return matrix


def _popcount(values: np.ndarray) -> np.ndarray:
    # 21 availability bits: count them bytewise.
    bytes_ = values.astype(np.uint32).view(np.uint8).reshape(*values.shape, 4)
    return np.unpackbits(bytes_, axis=-1).sum(axis=-1)


def score_matrix(
    newcomers: list[Candidate],
    volunteers: list[Candidate],
    weights: dict[str, float] | None = None,
    context: Context | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, feasible): two newcomers x volunteers arrays."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    context = context or Context()
    n, v = len(newcomers), len(volunteers)
    if n == 0 or v == 0:
        return np.zeros((n, v)), np.zeros((n, v), dtype=bool)

    # Interests and languages: shared counts by one matrix product each.
    interest_vocab = {
        key: i
        for i, key in enumerate(sorted({k for c in newcomers + volunteers for k in c.interests}))
    }
    shared_interests = _membership([c.interests for c in newcomers], interest_vocab) @ (
        _membership([c.interests for c in volunteers], interest_vocab).T
    )
    language_vocab = {
        code: i
        for i, code in enumerate(
            sorted({x for c in newcomers + volunteers for x in c.languages} - {"nl"})
        )
    }
    newcomer_languages = [c.languages - {"nl"} for c in newcomers]
    volunteer_languages = [c.languages - {"nl"} for c in volunteers]
    shared_languages = _membership(newcomer_languages, language_vocab) @ (
        _membership(volunteer_languages, language_vocab).T
    )
    scores = w["interests"] * np.minimum(shared_interests, MAX_INTERESTS)

    beginner = np.array([c.dutch_level in BEGINNER_LEVELS for c in newcomers])
    language_factor = np.where(beginner, 1.5, 1.0)[:, None]
    scores += w["language"] * language_factor * (shared_languages > 0)

    # Place: same neighbourhood, else same postcode, else same area.
    places = [c.neighbourhood.strip().lower() for c in newcomers + volunteers]
    codes = _codes(places)
    same_place = codes[:n, None] == codes[None, n:]
    postcodes = _codes([c.postcode for c in newcomers + volunteers])
    same_postcode = postcodes[:n, None] == postcodes[None, n:]
    areas = _codes([c.postcode[:3] if len(c.postcode) == 4 else "" for c in newcomers + volunteers])
    same_area = areas[:n, None] == areas[None, n:]
    scores += w["place"] * np.select([same_place, same_postcode, same_area], [1.0, 0.8, 0.4], 0.0)

    households = _codes([c.household for c in newcomers + volunteers])
    same_household = households[:n, None] == households[None, n:]
    kids = np.array([c.household in ("children", "partner_children") for c in newcomers])
    kids_v = np.array([c.household in ("children", "partner_children") for c in volunteers])
    similar_household = kids[:, None] & kids_v[None, :] & ~same_household
    scores += w["household"] * (same_household + 0.5 * similar_household)

    availability_n = np.array([c.availability for c in newcomers], dtype=np.int64)
    availability_v = np.array([c.availability for c in volunteers], dtype=np.int64)
    overlap = _popcount(availability_n[:, None] & availability_v[None, :])
    scores += w["availability"] * np.minimum(overlap, FULL_AVAILABILITY) / FULL_AVAILABILITY

    age_index = {band: i for i, band in enumerate(AGE_BANDS)}
    ages_n = np.array([age_index.get(c.age_band, -10) for c in newcomers])
    ages_v = np.array([age_index.get(c.age_band, -100) for c in volunteers])
    age_gap = np.abs(ages_n[:, None] - ages_v[None, :])
    scores += w["age"] * np.select([age_gap == 0, age_gap == 1], [1.0, 0.5], 0.0)

    waiting_n = np.array([min(c.waiting_days / 30, MAX_WAITING_MONTHS) for c in newcomers])
    waiting_v = np.array([min(c.waiting_days / 30, MAX_WAITING_MONTHS) for c in volunteers])
    scores += w["waiting"] * (waiting_n[:, None] + waiting_v[None, :])

    row = {c.pk: i for i, c in enumerate(newcomers)}
    col = {c.pk: j for j, c in enumerate(volunteers)}
    for (i, j), directions in picks_by_pair(context.picks, row, col).items():
        mutual = len(directions) == 2
        scores[i, j] += w["speed_date_mutual"] if mutual else w["speed_date_one_way"]

    feasible = np.ones((n, v), dtype=bool)
    gender_n = np.array([c.gender for c in newcomers])
    gender_v = np.array([c.gender for c in volunteers])
    wish_n = np.array([c.buddy_gender for c in newcomers])
    wish_v = np.array([c.buddy_gender for c in volunteers])
    feasible &= (wish_n[:, None] == "") | (wish_n[:, None] == gender_v[None, :])
    feasible &= (wish_v[None, :] == "") | (wish_v[None, :] == gender_n[:, None])
    capacity = np.array([c.capacity for c in volunteers])
    feasible &= capacity[None, :] > 0
    for newcomer_pk, volunteer_pk in context.excluded:
        if newcomer_pk in row and volunteer_pk in col:
            feasible[row[newcomer_pk], col[volunteer_pk]] = False
    return scores, feasible


def picks_by_pair(picks, row, col) -> dict[tuple[int, int], set[str]]:
    """Speed-date picks per (newcomer index, volunteer index): who chose whom."""
    pairs: dict[tuple[int, int], set[str]] = {}
    for chooser, chosen in picks:
        if chooser in row and chosen in col:
            pairs.setdefault((row[chooser], col[chosen]), set()).add("newcomer")
        elif chooser in col and chosen in row:
            pairs.setdefault((row[chosen], col[chooser]), set()).add("volunteer")
    return pairs


def assign(
    scores: np.ndarray, feasible: np.ndarray, capacities: list[int]
) -> list[tuple[int, int]]:
    """The (newcomer index, volunteer index) pairs with the highest total score.

    Each volunteer appears as many times as places left; every newcomer also
    gets a "no buddy this round" column worth 0, so nobody is forced into an
    infeasible pair and an unmatched person never lowers the total.
    """
    n, v = scores.shape
    slots = [j for j, places in enumerate(capacities) for _ in range(max(places, 0))]
    if n == 0 or not slots:
        return []
    slot_scores = np.where(feasible[:, slots], scores[:, slots], INFEASIBLE)
    none_column = np.full((n, n), INFEASIBLE)
    np.fill_diagonal(none_column, 0.0)
    rows, columns = linear_sum_assignment(np.hstack([slot_scores, none_column]), maximize=True)
    pairs = []
    for i, c in zip(rows, columns, strict=True):
        if c < len(slots) and feasible[i, slots[c]]:
            pairs.append((int(i), slots[c]))
    return pairs


def rank(scores: np.ndarray, feasible: np.ndarray, index: int, *, of: str, limit: int = 5):
    """The best ``limit`` partners (index, score) for newcomer ``index`` (``of="newcomer"``)
    or volunteer ``index`` (``of="volunteer"``), feasible pairs only."""
    row_scores = scores[index] if of == "newcomer" else scores[:, index]
    row_feasible = feasible[index] if of == "newcomer" else feasible[:, index]
    order = np.argsort(-np.where(row_feasible, row_scores, -np.inf), kind="stable")
    return [(int(j), float(row_scores[j])) for j in order[:limit] if row_feasible[j]]
