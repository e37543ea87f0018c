"""Scoring whole series with a detector, and evaluating detectors on a NAB corpus.

Example:
    >>> from datetime import datetime, timedelta
    >>> ts = [datetime(2026, 1, 1) + timedelta(minutes=5 * i) for i in range(3)]
    >>> [round(s, 3) for s in score_series(ts, [1.0, 1.0, 1.0])]
    [0.0, 0.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.spike import SpikeDetector
from parallax.alerts.nab import STANDARD, CorpusScore, Profile, SeriesScore, normalise, score_corpus
from parallax.alerts.nab_corpus import LabelledSeries, load_corpus, load_profiles

DetectorFactory = Callable[[], Detector]


def score_series(
    timestamps: Sequence[datetime], values: Sequence[float], detector: Detector | None = None
) -> list[float]:
    """Stream a series through a fresh detector: each score uses only the values before it."""
    model = detector.clone() if detector is not None else SpikeDetector()
    return [model.update(float(x), t) for t, x in zip(timestamps, values, strict=True)]


def null_scores(series: LabelledSeries) -> list[float]:
    """NAB's null detector: never fires."""
    return [0.0] * len(series.values)


def perfect_scores(series: LabelledSeries) -> list[float]:
    """The perfect detector: fires once, at the first row of every window."""
    scores = [0.0] * len(series.values)
    for start, _end in series.windows:
        first = next((i for i, t in enumerate(series.timestamps) if t >= start), None)
        if first is not None:
            scores[first] = 1.0
    return scores


@dataclass(frozen=True)
class NabReport:
    detector: str
    results: dict[str, CorpusScore]  # by profile name


def evaluate(
    corpus: Sequence[LabelledSeries],
    scorer: Callable[[LabelledSeries], list[float]],
    profiles: dict[str, Profile],
    name: str,
) -> NabReport:
    """Run ``scorer`` over every series and score it under every profile (threshold optimised per profile)."""
    scores = {s.name: scorer(s) for s in corpus}
    timestamps = {s.name: s.timestamps for s in corpus}
    windows = {s.name: s.windows for s in corpus}
    results = {key: score_corpus(timestamps, scores, windows, profile) for key, profile in profiles.items()}
    return NabReport(detector=name, results=results)


def leave_one_out(
    corpus: Sequence[LabelledSeries], scores: dict[str, list[float]], profile: Profile = STANDARD
) -> dict[str, float]:
    """Each series scored at the threshold optimised on the *other* series: an honest per-series figure."""
    return {name: one.normalised for name, one in _held_out(corpus, scores, profile).items()}


def leave_one_out_total(
    corpus: Sequence[LabelledSeries], scores: dict[str, list[float]], profile: Profile = STANDARD
) -> float:
    """The corpus total when every series is scored at the threshold the others chose (normalised as NAB)."""
    held = _held_out(corpus, scores, profile).values()
    return normalise(sum(s.raw for s in held), sum(s.null for s in held), sum(s.perfect for s in held))


def _held_out(
    corpus: Sequence[LabelledSeries], scores: dict[str, list[float]], profile: Profile
) -> dict[str, SeriesScore]:
    timestamps = {s.name: s.timestamps for s in corpus}
    windows = {s.name: s.windows for s in corpus}
    held: dict[str, SeriesScore] = {}
    for series in corpus:
        rest = [s.name for s in corpus if s.name != series.name]
        threshold = score_corpus(
            {n: timestamps[n] for n in rest}, {n: scores[n] for n in rest}, windows, profile
        ).threshold
        one = score_corpus(
            {series.name: timestamps[series.name]},
            {series.name: scores[series.name]},
            windows,
            profile,
            threshold,
        )
        held[series.name] = one.series[0]
    return held


def load(nab_dir: Path) -> tuple[list[LabelledSeries], dict[str, Profile]]:
    profiles = load_profiles(nab_dir) if (nab_dir / "profiles.json").is_file() else {"standard": STANDARD}
    return load_corpus(nab_dir), profiles
