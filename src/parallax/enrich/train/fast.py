"""Training the fast tier (sentiment and emotion heads) reproducibly: a deterministic solver, a calibration
slice chosen by hashing ids, no tuning on the held-out split (which only ``parallax eval`` reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parallax.enrich.datasets import DEFAULT_DATA, Labelled, airline_tweets, tweeteval
from parallax.enrich.eval.metrics import Metrics, classification_metrics
from parallax.enrich.linear import Features, LinearHead, featurize
from parallax.enrich.train.linear import fit_logistic, fit_temperature, in_calibration, subset

SENTIMENT_LABELS = ("negative", "neutral", "positive")
EMOTION_LABELS = ("anger", "joy", "optimism", "sadness")
DEFAULT_C = 1.0


@dataclass(frozen=True)
class TrainReport:
    artifact: Path
    version: str
    n_train: int
    temperature: float
    calibration: Metrics


def train_head(
    data: Labelled,
    labels: Sequence[str],
    version: str,
    seed: int,
    c: float,
    class_weight: str | None,
    features: Features | None = None,
) -> tuple[LinearHead, Metrics]:
    """Fit on all of ``data``; the temperature and the figures come from a model fitted without the
    calibration slice (10% of ids by hash) and scored on it."""
    features = features if features is not None else featurize(list(data.texts))
    y = np.array([labels.index(label) for label in data.labels])
    calibration = np.array([in_calibration(item_id) for item_id in data.ids])
    fit_rows, held_rows = np.flatnonzero(~calibration), np.flatnonzero(calibration)
    probe = fit_logistic(subset(features, fit_rows), y[fit_rows], labels, c, class_weight, "probe")
    logits = probe.logits(subset(features, held_rows))
    temperature = fit_temperature(logits, y[held_rows])
    predicted = [labels[i] for i in logits.argmax(axis=1)]
    head = fit_logistic(features, y, labels, c, class_weight, version)
    calibrated = LinearHead(**{**head.__dict__, "temperature": temperature})
    return calibrated, classification_metrics([data.labels[i] for i in held_rows], predicted, labels)


def train_fast_sentiment(
    out: Path, data_dir: Path = DEFAULT_DATA, seed: int = 13, c: float = DEFAULT_C
) -> TrainReport:
    """Airline tweets (training split only: the held-out split is for figures)."""
    data = airline_tweets(data_dir, "train")
    version = f"fast-wl256-lex-ngram-c{c:g}-s{seed}"
    head, calib = train_head(data, SENTIMENT_LABELS, version, seed, c, None)
    head.save(out)
    return TrainReport(out, version, len(data), head.temperature, calib)


def train_fast_emotion(
    out: Path, data_dir: Path = DEFAULT_DATA, seed: int = 13, c: float = DEFAULT_C
) -> TrainReport:
    """TweetEval emotion train split (its val split is kept for figures)."""
    data = tweeteval(data_dir / "tweeteval", "emotion", "train")
    version = f"fast-wl256-lex-ngram-c{c:g}-s{seed}"
    head, calib = train_head(data, EMOTION_LABELS, version, seed, c, "balanced")
    head.save(out)
    return TrainReport(out, version, len(data), head.temperature, calib)
