"""Estimators against the simulator's ground truth, over several seeds.

The tolerances are ones a broken estimator fails: an unweighted mean stays >= 8 points off, and a ranking
that ignores the planted failures cannot reach the recall.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.metrics.bias import AT_RANDOM, BiasCorrection, correct_csat
from parallax.metrics.hidden import hidden_failures

from .simworld import FOLLOWUP_SHARE, answer_counts, csat_invitees, truth, world

SEEDS = (1, 3, 4)
BIAS_SEEDS = (1, 2, 3, 4, 5, 6)
AT_RANDOM_SEEDS = (1, 3, 4)


@pytest.mark.parametrize("seed", AT_RANDOM_SEEDS)
def test_without_a_follow_up_the_correction_removes_most_of_the_bias(sim_root: Path, seed: int) -> None:
    out = world(sim_root, seed)
    true_pct = truth(out)["true_pct_satisfied"]
    result = correct_csat(csat_invitees(out), samples=50, seed=seed)
    assert result.method == "aipw" and result.assumption == AT_RANDOM
    assert result.naive - true_pct >= 8.0  # the survey flatters, by a lot
    # most of the bias removed, and more than by the weights alone; not the 3 points: the simulated
    # answer depends on the score itself beyond every record (docs/metrics.md, "Why AIPW alone misses")
    error = abs(result.corrected - true_pct)
    assert error <= 0.4 * (result.naive - true_pct)
    assert result.ipw is not None and error < abs(result.ipw - true_pct)
    assert result.corrected_ci[0] < result.corrected < result.corrected_ci[1] < result.naive_ci[0]
    # the sensitivity band: lower figures if the silent are 5 and 10 points below similar answerers
    assert [k for k, _ in result.sensitivity] == [5.0, 10.0]
    assert result.corrected > result.sensitivity[0][1] > result.sensitivity[1][1]


@pytest.fixture(scope="module")
def two_phase(sim_root: Path) -> dict[int, tuple[float, BiasCorrection]]:
    """Per seed: the true % satisfied of everyone invited and the two-phase correction of the same world
    with a third of the non-respondents phoned (its invites and online answers are the default world's)."""
    results = {}
    for seed in BIAS_SEEDS:
        out = world(sim_root, seed, followup=FOLLOWUP_SHARE)
        results[seed] = (truth(out)["true_pct_satisfied"], correct_csat(csat_invitees(out), 50, seed))
    return results


@pytest.mark.parametrize("seed", BIAS_SEEDS)
def test_with_a_follow_up_the_corrected_csat_lands_within_3_points(
    two_phase: dict[int, tuple[float, BiasCorrection]], seed: int
) -> None:
    true_pct, result = two_phase[seed]
    assert result.method == "two_phase" and result.followup_responded > 500
    assert result.naive - true_pct >= 8.0
    # the target. AIPW on the online answers alone is 2.4-5.3 off on these worlds (3 of 6 over 3),
    # taking the follow-up answers at face value 4-8 off: either fails here
    assert abs(result.corrected - true_pct) <= 3.0
    assert result.corrected_ci[0] < result.corrected < result.corrected_ci[1] < result.naive_ci[0]
    assert result.nonrespondent_gap is not None and result.nonrespondent_gap > 0  # the silent are less happy


def test_with_a_follow_up_the_interval_covers_the_truth(
    two_phase: dict[int, tuple[float, BiasCorrection]],
) -> None:
    """The interval that allows the silent to sit as far below the follow-up answers as those sit below the
    online ones covers the truth on 5 of 6 seeds (on 8 of 8 in 20-day worlds); AIPW's covers it on none."""
    covered = []
    for true_pct, result in two_phase.values():
        assert result.corrected_ci_with_gap is not None
        low, high = result.corrected_ci_with_gap
        assert low < result.corrected_ci[0] and high == result.corrected_ci[1]
        covered.append(low <= true_pct <= high)
    assert sum(covered) >= len(covered) - 1, covered


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
