"""NAB scoring against small cases computed by hand from the published definition."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from parallax.alerts.nab import (
    LOW_FN,
    PROBATION,
    STANDARD,
    best_threshold,
    normalise,
    probationary_length,
    scaled_sigmoid,
    score_at,
    score_corpus,
    scores_by_threshold,
    sweep,
)
from parallax.alerts.series import evaluate, load, null_scores, perfect_scores

T0 = datetime(2015, 1, 1)
TS = [T0 + timedelta(minutes=5 * i) for i in range(100)]  # probation: min(15, 750) = 15 rows
WINDOW = (TS[40], TS[49])  # 10 rows


def _fire(*indices: int) -> list[float]:
    return [1.0 if i in indices else 0.0 for i in range(100)]


def test_scaled_sigmoid_values() -> None:
    assert scaled_sigmoid(0.0) == pytest.approx(0.0)
    assert scaled_sigmoid(-1.0) == pytest.approx(2 / (1 + math.exp(-5)) - 1)  # 0.98661
    assert scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert scaled_sigmoid(3.5) == -1.0
    assert probationary_length(100) == 15
    assert probationary_length(16000) == 750


def test_earliest_detection_in_window_earns_full_weight() -> None:
    points = sweep(TS, _fire(40), [WINDOW], STANDARD, "s")
    assert score_at(points, 0.5, STANDARD) == pytest.approx(1.0)


def test_late_detection_earns_less_and_only_best_counts() -> None:
    late = sweep(TS, _fire(49), [WINDOW], STANDARD, "s")
    expected = scaled_sigmoid(-1 / 10) / scaled_sigmoid(-1.0)  # position -(49-49+1)/10
    assert score_at(late, 0.5, STANDARD) == pytest.approx(expected)
    both = sweep(TS, _fire(45, 49), [WINDOW], STANDARD, "s")
    assert score_at(both, 0.5, STANDARD) == pytest.approx(scaled_sigmoid(-5 / 10) / scaled_sigmoid(-1.0))


def test_false_positives_and_missed_windows() -> None:
    before = sweep(TS, _fire(20), [WINDOW], STANDARD, "s")
    assert score_at(before, 0.5, STANDARD) == pytest.approx(
        -0.11 - 1.0
    )  # FP before any window, window missed
    after = sweep(TS, _fire(40, 52), [WINDOW], STANDARD, "s")
    fp = 0.11 * scaled_sigmoid(abs(49 - 52) / (10 - 1))
    assert score_at(after, 0.5, STANDARD) == pytest.approx(1.0 + fp)
    assert score_at(before, 0.5, LOW_FN) == pytest.approx(-0.11 - 2.0)


def test_probationary_rows_are_not_scored() -> None:
    points = sweep(TS, _fire(3), [WINDOW], STANDARD, "s")
    assert points[3].window == PROBATION
    assert score_at(points, 0.5, STANDARD) == pytest.approx(-1.0)


def test_threshold_sweep_picks_the_best_cut() -> None:
    scores = [0.0] * 100
    scores[41], scores[70], scores[80] = 0.9, 0.5, 0.95
    points = sweep(TS, scores, [WINDOW], STANDARD, "s")
    table = dict(scores_by_threshold(points, STANDARD))
    assert table[1.1] == pytest.approx(-1.0)
    in_window = scaled_sigmoid(-9 / 10) / scaled_sigmoid(-1.0)
    fp80 = 0.11 * scaled_sigmoid(31 / 9)  # beyond 3 widths: -1
    assert table[0.95] == pytest.approx(-1.0 + fp80)
    assert table[0.9] == pytest.approx(in_window + fp80)
    assert best_threshold(points, STANDARD) == (0.9, pytest.approx(in_window + fp80))


def test_normalisation_of_corpus() -> None:
    stamps, windows = {"a": TS}, {"a": [WINDOW]}
    assert score_corpus(stamps, {"a": _fire(40)}, windows).total == pytest.approx(100.0)
    assert score_corpus(stamps, {"a": [0.0] * 100}, windows).total == pytest.approx(0.0)
    assert normalise(0.0, -2.0, 2.0) == 50.0


def test_null_and_perfect_on_nab_dev(shared_data: Path) -> None:
    corpus, profiles = load(shared_data / "nab-dev")
    assert len(corpus) == 5
    for name, scorer in (("null", null_scores), ("perfect", perfect_scores)):
        report = evaluate(corpus, scorer, profiles, name)
        for result in report.results.values():
            assert result.total == pytest.approx(0.0 if name == "null" else 100.0)


def test_leave_one_out_total_pools_held_out_series() -> None:
    from parallax.alerts.nab_corpus import LabelledSeries
    from parallax.alerts.series import leave_one_out, leave_one_out_total

    corpus = [LabelledSeries(n, tuple(TS), tuple([0.0] * 100), (WINDOW,)) for n in ("a", "b", "c")]
    hit, late = _fire(40), [0.0] * 100
    late[49] = 0.5  # detected only at a threshold the other series do not choose
    scores = {"a": hit, "b": hit, "c": late}
    held = leave_one_out(corpus, scores)
    assert held["a"] == pytest.approx(100.0) and held["c"] == pytest.approx(0.0)
    assert leave_one_out_total(corpus, scores) == pytest.approx(200.0 / 3.0)
