"""Estimators against the simulator's ground truth, over several seeds.

The tolerances are ones a broken estimator fails: an unweighted mean stays >= 8 points off, and a ranking
that ignores the planted failures cannot reach the recall.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.metrics.bias import correct_csat
from parallax.metrics.hidden import hidden_failures

from .simworld import answer_counts, csat_invitees, truth, world

SEEDS = (1, 3, 4)
BIAS_SEEDS = (1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("seed", BIAS_SEEDS)
def test_corrected_csat_removes_most_of_the_non_response_bias(sim_root: Path, seed: int) -> None:
    out = world(sim_root, seed)
    true_pct = truth(out)["true_pct_satisfied"]
    result = correct_csat(csat_invitees(out), samples=50, seed=seed)
    assert result.naive - true_pct >= 8.0  # the survey flatters, by a lot
    # most of the bias removed, and more than by the weights alone. The 3 points holds on 3 of these
    # 6 seeds only: the simulated answer depends on the score itself beyond every record (docs/metrics.md)
    error = abs(result.corrected - true_pct)
    assert error <= 0.4 * (result.naive - true_pct)
    assert result.ipw is not None and error < abs(result.ipw - true_pct)
    assert result.corrected_ci[0] < result.corrected < result.corrected_ci[1] < result.naive_ci[0]


@pytest.mark.parametrize("seed", (*SEEDS, 5))
def test_hidden_failures_find_the_planted_segments(sim_root: Path, seed: int) -> None:
    out = world(sim_root, seed)
    summary = truth(out)
    counts = answer_counts(out)
    found = hidden_failures(counts)
    planted = [tuple(sorted(p["segment"].items())) for p in summary["planted_failures"]]
    found_keys = {tuple(sorted(f.segment)) for f in found}
    recall = sum(key in found_keys for key in planted) / len(planted)
    degraded = {pair for key in planted for pair in key}
    degraded |= {("route", r) for r in summary["disruption"]["routes"]}
    degraded |= {("airport", a) for a in summary["disruption"]["airports"]}
    # economy really is worse in the simulated world (cabin effect), yet it is not planted: it counts
    false_alarms = [f.label for f in found if not set(f.segment) & degraded]
    tested = sum(1 for c in counts.values() if c.n >= 10)
    assert recall >= 0.9
    assert len(false_alarms) <= tested / 20, false_alarms
    assert found[0].impact >= found[-1].impact
