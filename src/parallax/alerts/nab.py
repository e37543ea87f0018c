"""Numenta Anomaly Benchmark scoring, written from its published description (Lavin & Ahmad 2015).

Every point of a series gets a *sweep score* from where it sits relative to the labelled anomaly windows:

* inside a window, a detection earns ``tp_weight * sigma(position) / sigma(-1)``, where ``position`` runs from
  -1 at the window's first point towards 0 at its last, and ``sigma(y) = 2 / (1 + exp(5y)) - 1`` is the scaled
  sigmoid: the earliest detection earns the full ``tp_weight``;
* outside windows, a detection costs ``fp_weight * sigma(distance past the previous window / its width)``
  (-1 far from any window, milder right after one); before the first window it costs ``fp_weight``;
* points in the probationary period (the first ``min(15%, 750)`` rows) are not scored.

At a threshold, a window's score is its best detection (only the earliest counts) or ``-fn_weight`` when none
fired; false positives are summed. One threshold is chosen for the whole corpus (the best total), then the
total is normalised: ``100 * (raw - null) / (perfect - null)`` where the null detector never fires
(``-fn_weight`` per window) and the perfect detector fires at each window's first point (``tp_weight`` each).

Example:
    >>> from datetime import datetime, timedelta
    >>> ts = [datetime(2015, 1, 1) + timedelta(minutes=5 * i) for i in range(100)]
    >>> window = (ts[50], ts[59])
    >>> points = sweep(ts, [0.0] * 50 + [1.0] + [0.0] * 49, [window], STANDARD, "s")
    >>> round(score_at(points, 0.5, STANDARD), 4)
    1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

Window = tuple[datetime, datetime]
PROBATION = "probationary"


@dataclass(frozen=True)
class Profile:
    """A NAB cost matrix (config/profiles.json)."""

    tp_weight: float
    fp_weight: float
    fn_weight: float
    tn_weight: float = 1.0


STANDARD = Profile(tp_weight=1.0, fp_weight=0.11, fn_weight=1.0)
LOW_FP = Profile(tp_weight=1.0, fp_weight=0.22, fn_weight=1.0)
LOW_FN = Profile(tp_weight=1.0, fp_weight=0.11, fn_weight=2.0)
PROFILE_NAMES = {"standard": "standard", "reward_low_FP_rate": "low_fp", "reward_low_FN_rate": "low_fn"}


@dataclass(frozen=True)
class ScoredPoint:
    """One row: the detector's anomaly score, the row's sweep score, and the window it belongs to."""

    anomaly_score: float
    sweep_score: float
    window: str | None  # None outside windows; PROBATION in the probationary period


def scaled_sigmoid(position: float) -> float:
    """NAB's reward curve: 1 well before a window's end, 0 at it, -1 well after (and beyond 3 widths)."""
    if position > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def probationary_length(n_rows: int, percent: float = 0.15) -> int:
    return int(min(math.floor(percent * n_rows), percent * 5000))


def _window_bounds(timestamps: Sequence[datetime], windows: Sequence[Window]) -> list[tuple[int, int]]:
    """Window limits as row indices: the first row at or after the start, the last at or before the end."""
    bounds = []
    for start, end in sorted(windows):
        inside = [i for i, t in enumerate(timestamps) if start <= t <= end]
        if inside:
            bounds.append((inside[0], inside[-1]))
    return bounds


def sweep(
    timestamps: Sequence[datetime],
    scores: Sequence[float],
    windows: Sequence[Window],
    profile: Profile,
    name: str,
) -> list[ScoredPoint]:
    """Give every row its sweep score (what a detection there would earn or cost)."""
    if len(timestamps) != len(scores):
        raise ValueError("timestamps and scores differ in length")
    max_tp = scaled_sigmoid(-1.0)
    probation = probationary_length(len(timestamps))
    bounds = _window_bounds(timestamps, windows)
    starts = {left: right for left, right in bounds}
    points: list[ScoredPoint] = []
    current: tuple[int, int] | None = None
    previous: tuple[int, int] | None = None  # (right index, width) of the last window passed
    for i, score in enumerate(scores):
        if current is None and i in starts:
            current = (i, starts[i])
        if current is not None:
            left, right = current
            width = right - left + 1
            weighted = scaled_sigmoid(-(right - i + 1) / width) * profile.tp_weight / max_tp
            window: str | None = f"{name}|{left}"
        else:
            if previous is None:
                unweighted = -1.0
            else:
                prev_right, prev_width = previous
                unweighted = scaled_sigmoid(abs(prev_right - i) / max(prev_width - 1, 1))
            weighted = unweighted * profile.fp_weight
            window = None
        points.append(ScoredPoint(float(score), weighted, PROBATION if i < probation else window))
        if current is not None and i == current[1]:
            previous = (current[1], current[1] - current[0] + 1)
            current = None
    return points


def _windows_of(points: Sequence[ScoredPoint]) -> set[str]:
    return {p.window for p in points if p.window is not None and p.window != PROBATION}


def score_at(points: Sequence[ScoredPoint], threshold: float, profile: Profile) -> float:
    """The raw NAB score when every row scoring ``>= threshold`` is a detection."""
    parts: dict[str, float] = dict.fromkeys(_windows_of(points), -profile.fn_weight)
    false_positives = 0.0
    for p in points:
        if p.window == PROBATION or p.anomaly_score < threshold:
            continue
        if p.window is None:
            false_positives += p.sweep_score
        else:
            parts[p.window] = max(parts[p.window], p.sweep_score)
    return false_positives + sum(parts.values())


def scores_by_threshold(points: Sequence[ScoredPoint], profile: Profile) -> list[tuple[float, float]]:
    """``(threshold, raw score)`` for every distinct anomaly score, highest threshold first.

    The first entry (threshold 1.1) is "no detections at all"; lowering the threshold past each distinct
    score adds that score's rows, exactly as NAB's sweep does.
    """
    scorable = sorted((p for p in points if p.window != PROBATION), key=lambda p: -p.anomaly_score)
    parts: dict[str, float] = dict.fromkeys(_windows_of(points), -profile.fn_weight)
    false_positives = 0.0
    window_total = sum(parts.values())
    result = [(1.1, false_positives + window_total)]
    for idx, p in enumerate(scorable):
        if p.window is None:
            false_positives += p.sweep_score
        elif p.sweep_score > parts[p.window]:
            window_total += p.sweep_score - parts[p.window]
            parts[p.window] = p.sweep_score
        last_of_tie = idx + 1 == len(scorable) or scorable[idx + 1].anomaly_score != p.anomaly_score
        if last_of_tie:
            result.append((p.anomaly_score, false_positives + window_total))
    return result


def best_threshold(points: Sequence[ScoredPoint], profile: Profile) -> tuple[float, float]:
    """The threshold with the best raw score over all given points (ties: the highest threshold)."""
    return max(scores_by_threshold(points, profile), key=lambda pair: (pair[1], pair[0]))


@dataclass(frozen=True)
class SeriesScore:
    name: str
    raw: float
    null: float
    perfect: float
    windows: int
    detected: int
    false_positives: int

    @property
    def normalised(self) -> float:
        return normalise(self.raw, self.null, self.perfect)


@dataclass(frozen=True)
class CorpusScore:
    """NAB's result for one detector and profile: one threshold, per-series and total scores."""

    profile: Profile
    threshold: float
    series: tuple[SeriesScore, ...]

    @property
    def total(self) -> float:
        raw = sum(s.raw for s in self.series)
        null = sum(s.null for s in self.series)
        perfect = sum(s.perfect for s in self.series)
        return normalise(raw, null, perfect)


def normalise(raw: float, null: float, perfect: float) -> float:
    return 100.0 * (raw - null) / (perfect - null) if perfect != null else 0.0


def _series_score(
    name: str, points: Sequence[ScoredPoint], threshold: float, profile: Profile
) -> SeriesScore:
    windows = _windows_of(points)
    fired = [p for p in points if p.window != PROBATION and p.anomaly_score >= threshold]
    return SeriesScore(
        name=name,
        raw=score_at(points, threshold, profile),
        null=-profile.fn_weight * len(windows),
        perfect=profile.tp_weight * len(windows),
        windows=len(windows),
        detected=len({p.window for p in fired if p.window is not None}),
        false_positives=sum(1 for p in fired if p.window is None),
    )


def score_corpus(
    timestamps: Mapping[str, Sequence[datetime]],
    scores: Mapping[str, Sequence[float]],
    windows: Mapping[str, Sequence[Window]],
    profile: Profile = STANDARD,
    threshold: float | None = None,
) -> CorpusScore:
    """Score a detector over a corpus; the threshold is optimised over the whole corpus unless given."""
    swept = {name: sweep(timestamps[name], scores[name], windows[name], profile, name) for name in scores}
    if threshold is None:
        everything = [p for points in swept.values() for p in points]
        threshold = best_threshold(everything, profile)[0]
    per_series = tuple(_series_score(name, swept[name], threshold, profile) for name in sorted(swept))
    return CorpusScore(profile=profile, threshold=threshold, series=per_series)
