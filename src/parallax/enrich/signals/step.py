"""The signals pipeline step: scores in ``Enriched.signals``, the friction index and ``repeated_effort``."""

from __future__ import annotations

import numpy as np

from parallax.enrich.pipeline import Enriched
from parallax.enrich.signals.lexicon import SIGNALS, lexicon_matrix
from parallax.enrich.signals.model import FRICTION_WEIGHTS, SignalsHead, featurize, shipped_head

LEXICON_THRESHOLD = 0.5
# friction_index as a dot product, for a whole batch at once.
FRICTION_VECTOR = np.array([FRICTION_WEIGHTS.get(signal, 0.0) for signal in SIGNALS])


class SignalsStep:
    """Trained heads when a head is given, the lexicon alone otherwise (the ``baseline`` tier)."""

    name = "signals"

    def __init__(self, head: SignalsHead | None = None) -> None:
        self.head = head
        self.version = head.version if head is not None else "lexicon-1"

    def scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities, decision thresholds) for ``texts``, one column per signal."""
        if self.head is None:
            return lexicon_matrix(texts), np.full(len(SIGNALS), LEXICON_THRESHOLD)
        return self.head.predict_proba(featurize(texts)), self.head.thresholds

    def apply(self, batch: list[Enriched]) -> None:
        if not batch:
            return
        probs, thresholds = self.scores([item.text for item in batch])
        repeated = SIGNALS.index("repeated_effort")
        rounded = np.round(probs.astype(np.float64), 4)
        frictions = np.round(rounded @ FRICTION_VECTOR, 4).tolist()
        flags = (probs[:, repeated] >= thresholds[repeated]).tolist()
        for item, row, friction, flag in zip(batch, rounded.tolist(), frictions, flags, strict=True):
            item.signals = dict(zip(SIGNALS, row, strict=True))
            item.friction = friction
            item.repeated_effort = flag


def make_step(tier: str) -> SignalsStep:
    """Registry factory: the lexicon at the baseline tier, the shipped trained heads otherwise."""
    return SignalsStep(None if tier == "baseline" else shipped_head())
