"""Few-shot categories for any taxonomy: nearest category prototype in static-embedding space.

Each category's prototype is the mean embedding of its description, label and example phrases. A message's
confidences are a softmax over its cosine similarity to every prototype plus an ``other`` logit fixed at
``other_similarity``: a message close to no prototype ends in the ``other / emerging`` bucket.

Example:
    >>> from parallax.enrich.categories.taxonomy import load_taxonomy
    >>> model = PrototypeClassifier(load_taxonomy("airline"))
    >>> model.classify(["they lost my suitcase and nobody knows where my bag is"])[0][0][0]
    'baggage_lost'
"""

from __future__ import annotations

import numpy as np

from parallax.enrich.categories.features import embedded, normalised
from parallax.enrich.categories.taxonomy import OTHER, Taxonomy

Scored = list[tuple[str, float]]


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class PrototypeClassifier:
    """Descriptions and examples in, (category, confidence) lists out; no training data needed."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        temperature: float = 0.03,
        other_similarity: float = 0.3,
        min_confidence: float = 0.2,
    ) -> None:
        self.taxonomy = taxonomy
        self.temperature = temperature
        self.other_similarity = other_similarity
        self.min_confidence = min_confidence
        self.labels = [*taxonomy.ids(), OTHER]
        phrases = [[c.description, c.label, *c.examples] for c in taxonomy.categories]
        prototypes = np.stack([embedded(normalised(p)).mean(axis=0) for p in phrases])
        self.prototypes = prototypes / np.maximum(np.linalg.norm(prototypes, axis=1, keepdims=True), 1e-6)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """(n, k + 1) confidences over the categories and, last, ``other``."""
        return self.from_embeddings(embedded(normalised(texts)))

    def from_embeddings(self, vectors: np.ndarray) -> np.ndarray:
        """Confidences from precomputed unit-length static embeddings (shared with the supervised head)."""
        similarity = vectors @ self.prototypes.T
        other = np.full((len(vectors), 1), self.other_similarity, dtype=np.float32)
        return softmax(np.hstack([similarity, other]) / self.temperature)

    def classify(self, texts: list[str]) -> list[Scored]:
        return [ranked(self.labels, row, self.min_confidence) for row in self.probabilities(texts)]


def ranked(labels: list[str], row: np.ndarray, min_confidence: float) -> Scored:
    """Labels at or above ``min_confidence``, best first; the single best one when none reaches it."""
    order = np.argsort(-row)
    chosen = [(labels[i], round(float(row[i]), 4)) for i in order if row[i] >= min_confidence]
    return chosen or [(labels[order[0]], round(float(row[order[0]]), 4))]


def chosen_mask(scores: np.ndarray, min_confidence: float) -> np.ndarray:
    """Which entries ``ranked`` keeps, for a whole (n, k) matrix: those at or above the bar, else the best."""
    mask = scores >= min_confidence
    empty = ~mask.any(axis=1)
    mask[np.flatnonzero(empty), scores[empty].argmax(axis=1)] = True
    return mask


def ranked_rows(labels: list[str], scores: np.ndarray, mask: np.ndarray) -> list[Scored]:
    """Per row, the masked labels with rounded scores, best first (ties on the rounded score keep the
    unrounded order): ``ranked`` for a batch."""
    rounded = np.round(scores, 4)
    order = np.lexsort((-scores, -np.where(mask, rounded, -np.inf)), axis=-1)
    counts = mask.sum(axis=1).tolist()
    picked = np.take_along_axis(rounded, order, axis=1).tolist()
    return [
        [(labels[i], value) for i, value in zip(row_order[:count], row_values[:count], strict=False)]
        for row_order, row_values, count in zip(order.tolist(), picked, counts, strict=True)
    ]
