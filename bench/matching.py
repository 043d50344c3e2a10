"""Matching benchmark: score and assign 1,000 newcomers against 1,000 volunteers.

A benchmark, not a test. It builds random but realistic candidates (interests
from 12, 6 neighbourhoods, availability over 21 moments a week, 1 or 2 places per
volunteer, some gender wishes, waiting times, speed-date picks and exclusions),
then times the vectorised scoring (buddypages.duos.matching.score_matrix) and
the optimal assignment (scipy's linear_sum_assignment) over several rounds.

Goal: scoring and assigning together under 2 seconds on this machine. Also
printed: the time per pair, and the ratio to one bare linear_sum_assignment on
a random matrix of the same shape in the same run (what the solver alone costs).

    .venv/bin/python bench/matching.py [--size 1000] [--rounds 5]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402

from buddypages.duos.matching import (  # noqa: E402
    AGE_BANDS,
    Candidate,
    Context,
    assign,
    score_matrix,
)

INTERESTS = [f"interest-{i}" for i in range(12)]
PLACES = ["Centrum", "Stationswijk", "Heide-Noord", "Heide-Zuid", "Molenwijk", "Kerkhoven", ""]
POSTCODES = ["2990", "2991", "2992", "2993", "2994", "2800"]
HOUSEHOLDS = ["alone", "partner", "children", "partner_children", "other"]
LANGUAGES = ["ar", "fr", "en", "uk", "ru", "fa", "ps", "ti", "so", "tr"]


def candidate(rng: random.Random, pk: int, volunteer: bool) -> Candidate:
    gender = rng.choice(["woman", "man", ""])
    return Candidate(
        pk=pk,
        interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 5))),
        neighbourhood=rng.choice(PLACES),
        postcode=rng.choice(POSTCODES),
        household=rng.choice(HOUSEHOLDS),
        availability=rng.getrandbits(21),
        languages=frozenset(["nl", *rng.sample(LANGUAGES, rng.randint(0, 2))])
        if volunteer
        else frozenset(rng.sample(LANGUAGES, rng.randint(1, 2))),
        age_band=rng.choice(AGE_BANDS),
        dutch_level="" if volunteer else rng.choice(["none", "a1", "a2", "b1"]),
        gender=gender,
        buddy_gender="woman" if gender == "woman" and rng.random() < 0.2 else "",
        waiting_days=rng.randint(0, 300),
        capacity=rng.choice([1, 1, 1, 2]) if volunteer else 1,
    )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    newcomers = [candidate(rng, i, False) for i in range(args.size)]
    volunteers = [candidate(rng, 100_000 + i, True) for i in range(args.size)]
    pks = [c.pk for c in newcomers + volunteers]
    context = Context(
        excluded={(rng.choice(newcomers).pk, rng.choice(volunteers).pk) for _ in range(50)},
        picks={(rng.choice(pks), rng.choice(pks)) for _ in range(200)},
    )
    capacities = [c.capacity for c in volunteers]
    slots = sum(capacities)

    score_times, assign_times, solver_times = [], [], []
    pairs = []
    for _round in range(args.rounds):
        started = time.perf_counter()
        scores, feasible = score_matrix(newcomers, volunteers, context=context)
        scored = time.perf_counter()
        pairs = assign(scores, feasible, capacities)
        done = time.perf_counter()
        score_times.append(scored - started)
        assign_times.append(done - scored)
        bare = np.random.default_rng(0).random((args.size, slots + args.size))
        solver_started = time.perf_counter()
        linear_sum_assignment(bare, maximize=True)
        solver_times.append(time.perf_counter() - solver_started)

    score_s = statistics.median(score_times)
    assign_s = statistics.median(assign_times)
    total = score_s + assign_s
    pair_count = args.size * args.size
    solver_s = statistics.median(solver_times)
    out = sys.stdout.write
    out(
        f"{args.size} newcomers x {args.size} volunteers ({slots} places), "
        f"median of {args.rounds} rounds\n"
    )
    out(f"  scoring:              {score_s * 1000:8.1f} ms\n")
    out(f"  optimal assignment:   {assign_s * 1000:8.1f} ms\n")
    out(f"  total:                {total * 1000:8.1f} ms   (goal < 2000 ms)\n")
    out(f"  per pair:             {total / pair_count * 1e9:8.1f} ns\n")
    out(f"  pairs proposed:       {len(pairs)} of {args.size} newcomers\n")
    out(
        f"  bare solver, same shape: {solver_s * 1000:.1f} ms; ratio total/solver "
        f"{total / solver_s:.2f}\n"
    )
    out("  verdict:              " + ("PASS" if total < 2.0 else "FAIL") + "\n")
    return 0 if total < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
