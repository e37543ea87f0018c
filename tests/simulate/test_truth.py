"""The world has the biases it claims: respondents flatter the airline, covariates explain why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from simulate_files import read_csv
from sklearn.linear_model import LogisticRegression

from parallax.simulate import World, simulate_world
from parallax.simulate.summary import answered_mask, invited_mask
from parallax.simulate.trips import segment_mask


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_respondents_overstate_satisfaction_by_ten_points(seed: int) -> None:
    world = simulate_world(seed=seed)
    invited, answered = invited_mask(world), answered_mask(world)
    true = 100 * world.trips.satisfied[invited].mean()
    naive = 100 * world.trips.satisfied[answered].mean()
    assert naive - true >= 10
    assert 55 <= true <= 85


def test_the_angriest_answer_least(summary: dict[str, Any]) -> None:
    rates = [summary["response_rate_by_true_csat"][str(c)] for c in range(1, 6)]
    assert rates == sorted(rates)
    assert rates[0] < 0.5 * rates[-1]


def test_summary_matches_the_survey_file(out: Path, summary: dict[str, Any]) -> None:
    rows = read_csv(out / "surveys.csv")
    csat = [int(r["score"]) for r in rows if r["score_type"] == "csat" and r["score"]]
    invites = [r for r in rows if r["score_type"] == "csat"]
    assert summary["n_invited"] == len(invites)
    assert summary["n_responses"] == len(csat)
    assert summary["naive_pct_satisfied"] == pytest.approx(100 * np.mean(np.array(csat) >= 4), abs=0.01)
    assert summary["n_interactions_by_file"]["surveys.csv"] == len(rows)


def _outcome_model(world: World) -> float:
    """Model satisfaction on what the company records, from respondents; average it over every invitee."""
    t = world.trips
    covariates = np.column_stack(
        [
            np.log1p(t.delay_min / 30),
            t.disrupted,
            t.cancelled,
            t.ticket,
            np.eye(3)[t.cabin],
            np.eye(4)[t.tier],
            np.eye(t.route.max() + 1)[t.route],
        ]
    )
    invited, answered = invited_mask(world), answered_mask(world)
    model = LogisticRegression(max_iter=2000, C=10.0).fit(covariates[answered], t.satisfied[answered])
    return float(100 * model.predict_proba(covariates[invited])[:, 1].mean())


def test_observable_covariates_undo_most_of_the_bias(world: World) -> None:
    invited, answered = invited_mask(world), answered_mask(world)
    true = 100 * world.trips.satisfied[invited].mean()
    naive = 100 * world.trips.satisfied[answered].mean()
    corrected = _outcome_model(world)
    assert abs(corrected - true) < 0.4 * (naive - true)


def test_planted_failures_are_real_but_not_absurd(world: World, summary: dict[str, Any]) -> None:
    assert len(summary["planted_failures"]) == 4
    assert {len(f["segment"]) for f in summary["planted_failures"]} == {1, 2}
    for failure in summary["planted_failures"]:
        gap = failure["true_pct_satisfied_elsewhere"] - failure["true_pct_satisfied"]
        assert 12 <= gap <= 60, failure
        assert failure["n_trips"] < 0.12 * summary["n_trips"]
        assert failure["n_responses"] >= 15
    t = world.trips
    for k, failure in enumerate(world.failures):
        inside = segment_mask(failure.as_dict(), t.route, t.cabin, t.tier)
        assert (t.failure[inside] >= 0).all() and (t.failure == k).sum() > 0


def test_segment_truth_labels_the_planted_segments(out: Path, summary: dict[str, Any]) -> None:
    rows = read_csv(out / "truth" / "segments.csv")
    planted = {r["segment"] for r in rows if r["planted"] == "true"}
    expected = {"&".join(f"{k}={v}" for k, v in f["segment"].items()) for f in summary["planted_failures"]}
    assert planted == expected
    assert len(rows) >= 20 * len(expected)


def test_a_plain_segment_test_finds_the_planted_failures(world: World, summary: dict[str, Any]) -> None:
    """Respondents in each planted segment vs everyone else: clearly worse; unrelated segments rarely are."""
    t, answered = world.trips, answered_mask(world)

    def z(segment: dict[str, str]) -> float:
        inside = answered & segment_mask(segment, t.route, t.cabin, t.tier)
        p0 = t.satisfied[answered & ~inside].mean()
        return float((t.satisfied[inside].mean() - p0) / np.sqrt(p0 * (1 - p0) / inside.sum()))

    assert sum(z(f.as_dict()) < -3 for f in world.failures) >= 3
    for segment in ({"cabin": "economy"}, {"loyalty_tier": "none"}, {"loyalty_tier": "silver"}):
        assert z(segment) > -3, segment
