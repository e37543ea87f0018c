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
    "default (1 d / 1 w + seasonal; 5 min and 1 h scales; 3 h onset, memory 0.75)": ({}, 1.0),
    "5-minute scale only (spans=(1,))": ({"spans": (1,)}, 1.0),
    "with a 1-hour baseline (windows=(12, 288, 2016))": ({"windows": (12, 288, 2016)}, 1.0),
    "onset emphasis 1.5 h (suppress=18)": ({"suppress": 18}, 1.0),
    "onset emphasis 6 h (suppress=72)": ({"suppress": 72}, 1.0),
    "onset memory 0.5": ({"memory": 0.5}, 1.0),
    "onset memory 1.0 (rise above the whole recent peak)": ({"memory": 1.0}, 1.0),
    "no seasonal member (seasonal=False)": ({"seasonal": False}, 1.0),
    "input counts doubled (perturbation)": ({}, 2.0),
}


def variant_scorer(name: str) -> Scorer:
    arguments, scale = VARIANTS[name]

    def scorer(series: LabelledSeries) -> list[float]:
        detector = SpikeDetector(**arguments)  # type: ignore[arg-type]
        return score_series(series.timestamps, [v * scale for v in series.values], detector)

    return scorer
