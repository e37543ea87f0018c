"""The baseline: VADER's rule-based compound score mapped onto three classes.

VADER gives no probabilities; the mapping below is a fixed logistic around its documented ±0.05 thresholds,
so ``confidence`` for this tier is a monotone strength, not a calibrated probability.

Example:
    >>> proba = VaderModel().predict_proba(["I love this airline", "my flight is at 5pm", "worst trip ever"])
    >>> [("negative", "neutral", "positive")[row.argmax()] for row in proba]
    ['positive', 'neutral', 'negative']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

THRESHOLD = 0.05
STEEPNESS = 40.0


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound_to_proba(compound: np.ndarray) -> np.ndarray:
    """Map compound scores in [-1, 1] to (negative, neutral, positive) weights that sum to one."""
    positive = 1.0 / (1.0 + np.exp(-STEEPNESS * (compound - THRESHOLD)))
    negative = 1.0 / (1.0 + np.exp(STEEPNESS * (compound + THRESHOLD)))
    neutral = np.clip(1.0 - positive - negative, 0.0, None)
    proba = np.stack([negative, neutral, positive], axis=1)
    return np.asarray(proba / proba.sum(axis=1, keepdims=True))


class VaderModel:
    version = "vader-3.3.2"

    def compound(self, texts: Sequence[str]) -> np.ndarray:
        sia = analyzer()
        return np.array([sia.polarity_scores(text)["compound"] for text in texts], dtype=np.float64)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return compound_to_proba(self.compound(texts))
