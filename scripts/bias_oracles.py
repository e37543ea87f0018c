"""The survey correction against the simulator's truth, per seed: what each estimator, and oracle, gets.

Usage: .venv/bin/python scripts/bias_oracles.py [--days 10] 1 2 3 4 5 6 7 8   (docs/metrics.md, BENCHMARKS.md)

Prints, per seed, the true % satisfied of everyone invited, then the error (points) against it of: the naive
survey; IPW with the simulator's own answer probability; IPW on the exact observable experience and tier; the
same plus the hidden incidents; the product's AIPW on the survey export, with and without a mishandled-bag
report per invitee; and the two-phase correction of the same world with a third of the non-respondents
phoned (FOLLOWUP_SHARE), with its interval and the interval widened by the measured gap (and whether each
covers the truth).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from parallax.metrics.bias import Invitee, correct_csat
from parallax.simulate import simulate_world, write_world
from parallax.simulate.surveys import response_probability

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from metrics.simworld import FOLLOWUP_SHARE, csat_invitees


def _ipw(x: np.ndarray, answered: np.ndarray, y: np.ndarray) -> float:
    model = LogisticRegression(max_iter=200, C=1.0, solver="newton-cholesky").fit(x, answered)
    w = 1.0 / np.clip(model.predict_proba(x)[:, 1], 0.02, 1.0)[answered]
    return float((w * y[answered]).sum() / w.sum())


def _invitees(seed: int, days: int, followup: float) -> list[Invitee]:
    with tempfile.TemporaryDirectory() as tmp:
        write_world(simulate_world(seed=seed, days=days, followup=followup), Path(tmp))
        return csat_invitees(Path(tmp))


def oracles(seed: int, days: int) -> tuple[float, dict[str, float]]:
    world = simulate_world(seed=seed, days=days)
    trips, surveys = world.trips, world.surveys
    trip, answered = surveys.trip, surveys.answered
    y = 100.0 * trips.satisfied[trip]
    p = response_probability(world.config, trips.csat[trip], trips.mean_u[trip], trips.tier[trip])
    w = 1.0 / p[answered]
    observable = np.column_stack([trips.mean_u[trip], np.eye(4)[trips.tier[trip]][:, 1:]])
    hidden = np.column_stack([trips.baggage[trip], trips.service[trip], trips.failure[trip] >= 0])
    invitees = _invitees(seed, days, 0.0)
    # the export's rows follow the invitation order; surveys.trip is in the same order once sorted
    bag = trips.baggage[trip[np.argsort(surveys.invited_h, kind="stable")]]
    with_bag = [
        Invitee({**i.features, "bag_report": bool(b)}, i.responded, i.score)
        for i, b in zip(invitees, bag.tolist(), strict=True)
    ]
    aipw = correct_csat(invitees, samples=10, seed=seed)
    return float(y.mean()), {
        "naive": aipw.naive,
        "true answer probability": float((w * y[answered]).sum() / w.sum()),
        "observable experience + tier": _ipw(observable, answered, y),
        "+ hidden incidents": _ipw(np.column_stack([observable, hidden]), answered, y),
        "AIPW on the export": aipw.corrected,
        "AIPW + bag report": correct_csat(with_bag, samples=10, seed=seed).corrected,
    }


def main(seeds: list[int], days: int) -> None:
    for seed in seeds:
        truth, figures = oracles(seed, days)
        cells = "  ".join(f"{k} {v - truth:+.1f}" for k, v in figures.items())
        r = correct_csat(_invitees(seed, days, FOLLOWUP_SHARE), samples=50, seed=seed)
        (low, high), (wide, _) = r.corrected_ci, r.corrected_ci_with_gap or r.corrected_ci
        print(
            f"seed {seed} truth {truth:.1f}  {cells}  "
            f"two-phase {r.corrected:.1f} ({r.corrected - truth:+.1f}) "
            f"[{low:.1f}, {high:.1f}] covers {low <= truth <= high}  with gap [{wide:.1f}, {high:.1f}] "
            f"covers {wide <= truth <= high}  gap {r.nonrespondent_gap:.1f}  "
            f"followed up {r.followup_responded}/{r.followed_up}",
            flush=True,
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    days = 10
    if args[:1] == ["--days"]:
        days, args = int(args[1]), args[2:]
    main([int(s) for s in args] or [1, 2, 3], days)
