"""The fast sentiment tier: static embeddings + lexicon + token n-grams, a calibrated linear head (numpy).

Example:
    >>> model = load_fast_model()
    >>> proba = model.predict_proba(["thank you, the crew was amazing", "my bag is lost and no one helps"])
    >>> [model.head.labels[i] for i in proba.argmax(axis=1)]
    ['positive', 'negative']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from parallax.enrich.artifacts_path import artifact
from parallax.enrich.linear import LinearHead, featurize_shared

ARTIFACT = "sentiment_fast.npz"
TRAIN_COMMAND = "parallax train sentiment --tier fast"


class FastSentiment:
    def __init__(self, head: LinearHead) -> None:
        self.head = head
        self.version = head.version

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.head.predict_proba(featurize_shared(list(texts)))


@cache
def load_fast_model() -> FastSentiment:
    """Loaded once per process from the shipped artifact."""
    return FastSentiment(LinearHead.load(artifact(ARTIFACT, TRAIN_COMMAND)))
