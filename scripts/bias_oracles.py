"""Why the survey correction misses in the simulator: IPW with what an oracle knows, per seed.

Usage: .venv/bin/python scripts/bias_oracles.py 1 2 3 4 5 6 7 8   (docs/metrics.md, "Why it misses")

Prints, per seed, the error (points) against the true % satisfied of everyone invited of: IPW with the
simulator's own answer probability; IPW on the exact observable experience and tier; the same plus the hidden
incidents; and the product's AIPW on the survey export with and without a mishandled-bag report per invitee.
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
from metrics.simworld import csat_invitees


def _ipw(x: np.ndarray, answered: np.ndarray, y: np.ndarray) -> float:
    model = LogisticRegression(max_iter=200, C=1.0, solver="newton-cholesky").fit(x, answered)
    w = 1.0 / np.clip(model.predict_proba(x)[:, 1], 0.02, 1.0)[answered]
    return float((w * y[answered]).sum() / w.sum())


def main(seeds: list[int]) -> None:
    for seed in seeds:
        world = simulate_world(seed=seed, days=10)
        trips, surveys = world.trips, world.surveys
        trip, answered = surveys.trip, surveys.answered
        y = 100.0 * trips.satisfied[trip]
        truth = float(y.mean())
        p = response_probability(world.config, trips.csat[trip], trips.mean_u[trip], trips.tier[trip])
        w = 1.0 / p[answered]
        observable = np.column_stack([trips.mean_u[trip], np.eye(4)[trips.tier[trip]][:, 1:]])
        hidden = np.column_stack([trips.baggage[trip], trips.service[trip], trips.failure[trip] >= 0])
        with tempfile.TemporaryDirectory() as tmp:
            write_world(world, Path(tmp))
            invitees = csat_invitees(Path(tmp))
        # the export's rows follow the invitation order; surveys.trip is in the same order once sorted
        order = np.argsort(surveys.invited_h, kind="stable")
        bag = trips.baggage[trip[order]]
        with_bag = [
            Invitee({**i.features, "bag_report": bool(b)}, i.responded, i.score)
            for i, b in zip(invitees, bag.tolist(), strict=True)
        ]
        figures = {
            "true answer probability": float((w * y[answered]).sum() / w.sum()),
            "observable experience + tier": _ipw(observable, answered, y),
            "+ hidden incidents": _ipw(np.column_stack([observable, hidden]), answered, y),
            "AIPW on the export": correct_csat(invitees, samples=10, seed=seed).corrected,
            "AIPW + bag report": correct_csat(with_bag, samples=10, seed=seed).corrected,
        }
        cells = "  ".join(f"{k} {v - truth:+.1f}" for k, v in figures.items())
        print(f"seed {seed} truth {truth:.1f}  {cells}")


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [1, 2, 3])
