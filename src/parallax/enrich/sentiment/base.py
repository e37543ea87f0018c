"""The sentiment protocol and the pipeline step that wraps any model implementing it.

A model returns class probabilities in ``LABELS`` order; the step turns them into a label, a confidence and a
score (``p(positive) - p(negative)``, in [-1, 1]). Off English the confidence is scaled down because every
model here was trained on English text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from parallax.enrich.pipeline import Enriched
from parallax.enrich.steps.language import is_non_english

LABELS = ("negative", "neutral", "positive")
NON_ENGLISH_CONFIDENCE = 0.6


class SentimentModel(Protocol):
    """Anything that maps texts to an (n, 3) array of probabilities over ``LABELS``."""

    version: str

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...


def scores_from_proba(proba: np.ndarray) -> np.ndarray:
    """The signed score in [-1, 1]: how much more likely positive is than negative."""
    return np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)


class SentimentStep:
    """Fills the sentiment fields of a batch from one model call."""

    name = "sentiment"

    def __init__(self, model: SentimentModel) -> None:
        self.model = model
        self.version = model.version

    def apply(self, batch: list[Enriched]) -> None:
        if not batch:
            return
        proba = np.asarray(self.model.predict_proba([item.text for item in batch]), dtype=np.float64)
        best = proba.argmax(axis=1)
        # Rounded and turned into Python floats for the whole batch at once, not value by value.
        rounded = np.round(proba, 4).tolist()
        confidences = proba[np.arange(len(batch)), best].tolist()
        scores = np.round(self._scores(proba), 4).tolist()
        for item, probs, label, confidence, score in zip(
            batch, rounded, best.tolist(), confidences, scores, strict=True
        ):
            item.sentiment_probs = dict(zip(LABELS, probs, strict=True))
            item.sentiment_label = LABELS[label]
            if is_non_english(item):
                confidence *= NON_ENGLISH_CONFIDENCE
            item.sentiment_confidence = round(confidence, 4)
            item.sentiment_score = score

    def _scores(self, proba: np.ndarray) -> np.ndarray:
        return scores_from_proba(proba)
