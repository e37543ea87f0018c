"""Reference detectors for comparison in ``parallax eval spikes`` (not used by the pipeline).

``river-hst`` is river's HalfSpaceTrees with its defaults behind a min-max scaler (river's own recipe), the
weak anchor the issue quotes (about 37 on NAB's tweet series); it needs ``pip install river``.
"""

from __future__ import annotations

from collections.abc import Callable

from parallax.alerts.detectors.spike import SpikeDetector
from parallax.alerts.nab_corpus import LabelledSeries
from parallax.alerts.series import null_scores, perfect_scores, score_series
from parallax.kit.errors import MissingExtra, require

Scorer = Callable[[LabelledSeries], list[float]]


def _spike(series: LabelledSeries) -> list[float]:
    return score_series(series.timestamps, series.values, SpikeDetector())


def _river_hst(series: LabelledSeries) -> list[float]:
    try:
        anomaly = require("river.anomaly", "dev")
        preprocessing = require("river.preprocessing", "dev")
    except MissingExtra as exc:
        raise MissingExtra("dev", "river") from exc
    model = preprocessing.MinMaxScaler() | anomaly.HalfSpaceTrees(seed=42)
    scores = []
    for value in series.values:
        features = {"value": float(value)}
        scores.append(float(model.score_one(features)))
        model.learn_one(features)
    return scores


SCORERS: dict[str, Scorer] = {
    "spike": _spike,
    "null": null_scores,
    "perfect": perfect_scores,
    "river-hst": _river_hst,
}


# One-argument changes to the default design, and a perturbed input: how much the NAB figure moves.
VARIANTS: dict[str, tuple[dict[str, object], float]] = {
    "default (1 h / 1 d / 1 w, seasonal, 3 h onset)": ({}, 1.0),
    "onset emphasis 1.5 h (suppress=18)": ({"suppress": 18}, 1.0),
    "onset emphasis 6 h (suppress=72)": ({"suppress": 72}, 1.0),
    "no weekly window (windows=(12, 288))": ({"windows": (12, 288)}, 1.0),
    "no seasonal member (seasonal=False)": ({"seasonal": False}, 1.0),
    "input counts doubled (perturbation)": ({}, 2.0),
}


def variant_scorer(name: str) -> Scorer:
    arguments, scale = VARIANTS[name]

    def scorer(series: LabelledSeries) -> list[float]:
        detector = SpikeDetector(**arguments)  # type: ignore[arg-type]
        return score_series(series.timestamps, [v * scale for v in series.values], detector)

    return scorer
