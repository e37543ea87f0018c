"""Emotion (anger, joy, optimism, sadness) with the fast tier's features and a calibrated linear head.

Trained on TweetEval emotion (train split). ``emotions`` holds the four probabilities. ``emotion`` names one
only when it is clear and agrees with the sentiment step: a confidently neutral message gets none; a
confidently negative one can only be anger or sadness, a confidently positive one joy or optimism (the
strongest of the two, provided the pair holds at least ``MIN_PAIR_MASS`` of the probability; otherwise the
two models disagree and none is named); otherwise the strongest emotion if its probability is at least
``MIN_CONFIDENCE``.

Example:
    >>> model = load_emotion_model()
    >>> proba = model.predict_proba(["I am so angry, this is outrageous", "so sad, I miss my family"])
    >>> [model.head.labels[i] for i in proba.argmax(axis=1)]
    ['anger', 'sadness']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from parallax.enrich.artifacts_path import artifact
from parallax.enrich.linear import LinearHead, featurize_shared
from parallax.enrich.pipeline import Enriched

ARTIFACT = "emotion_fast.npz"
TRAIN_COMMAND = "parallax train emotion"
EMOTIONS = ("anger", "joy", "optimism", "sadness")
MIN_CONFIDENCE = 0.5
MIN_PAIR_MASS = 0.3
CONFIDENT_SENTIMENT = 0.6
POLARITY = {"negative": ("anger", "sadness"), "positive": ("joy", "optimism")}


class FastEmotion:
    def __init__(self, head: LinearHead) -> None:
        self.head = head
        self.version = head.version

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.head.predict_proba(featurize_shared(list(texts)))


@cache
def load_emotion_model() -> FastEmotion:
    return FastEmotion(LinearHead.load(artifact(ARTIFACT, TRAIN_COMMAND)))


class EmotionStep:
    """Fills ``emotions`` (probabilities) and ``emotion`` (the clear strongest one, or None)."""

    name = "emotion"
    RULE_VERSION = "pick2"  # bump when pick_emotion changes: the stored rows' meaning changes with it

    def __init__(self, model: FastEmotion) -> None:
        self.model = model
        self.version = f"{model.version}+{self.RULE_VERSION}"

    def apply(self, batch: list[Enriched]) -> None:
        if not batch:
            return
        proba = self.model.predict_proba([item.text for item in batch])
        labels = self.model.head.labels
        for item, row in zip(batch, np.round(proba, 4).tolist(), strict=True):
            item.emotions = dict(zip(labels, row, strict=True))
            item.emotion = pick_emotion(item.emotions, item.sentiment_probs)


def pick_emotion(emotions: dict[str, float], sentiment_probs: dict[str, float]) -> str | None:
    """The emotion to name, consistent with the sentiment (see the module docstring).

    >>> pick_emotion({"anger": 0.2, "joy": 0.5, "optimism": 0.1, "sadness": 0.2}, {"negative": 0.9})
    'anger'
    >>> pick_emotion({"anger": 0.1, "joy": 0.6, "optimism": 0.2, "sadness": 0.1}, {"neutral": 0.8}) is None
    True
    """
    sentiment = max(sentiment_probs, key=sentiment_probs.__getitem__, default=None)
    if sentiment is not None and sentiment_probs[sentiment] >= CONFIDENT_SENTIMENT:
        if sentiment not in POLARITY:
            return None
        pair = POLARITY[sentiment]
        if sum(emotions.get(label, 0.0) for label in pair) < MIN_PAIR_MASS:
            return None
        return max(pair, key=lambda label: emotions.get(label, 0.0))
    best = max(emotions, key=emotions.__getitem__, default=None)
    return best if best is not None and emotions[best] >= MIN_CONFIDENCE else None


def make_step(tier: str) -> EmotionStep | None:
    """Every tier gets the fast emotion head except the VADER-only baseline."""
    if tier == "baseline":
        return None
    return EmotionStep(load_emotion_model())
