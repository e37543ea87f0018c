"""The categories pipeline step: multi-label ``(category, confidence)`` lists and the best category.

For a pack with a trained head, the head scores the categories it was trained on and the few-shot
prototypes score the rest (categories with no labelled data, such as refunds or fees for airlines); the two
lists are merged best first. A message whose best confidence is below ``other_below`` is put in the
``other`` bucket, where new, emerging complaint types collect until the taxonomy names them.
"""

from __future__ import annotations

import numpy as np

from parallax.enrich.categories.features import shared_embeddings
from parallax.enrich.categories.fewshot import PrototypeClassifier, chosen_mask, ranked_rows
from parallax.enrich.categories.supervised import CategoryHead, shipped_head
from parallax.enrich.categories.taxonomy import OTHER, Taxonomy, load_taxonomy
from parallax.enrich.linear import normalised_shared
from parallax.enrich.pipeline import Enriched

Scored = list[tuple[str, float]]
DEFAULT_PACK = "airline"


class CategoriesStep:
    """Fills ``categories`` (best first, each with a confidence) and ``category`` (best, or ``other``)."""

    name = "categories"

    def __init__(
        self,
        taxonomy: Taxonomy,
        head: CategoryHead | None = None,
        min_confidence: float = 0.2,
        other_below: float = 0.35,
    ) -> None:
        self.taxonomy = taxonomy
        self.head = head
        self.fewshot = PrototypeClassifier(taxonomy, min_confidence=min_confidence)
        self.min_confidence = min_confidence
        self.other_below = other_below
        self.version = f"{taxonomy.name}-" + (f"head-{head.version}" if head else "fewshot-1")

    def classify(self, texts: list[str]) -> list[Scored]:
        vectors = shared_embeddings(texts)  # once per batch for the sentiment, signals and category steps
        shots = self.fewshot.from_embeddings(vectors)
        labels = self.fewshot.labels
        if self.head is None:
            return ranked_rows(labels, shots, chosen_mask(shots, self.min_confidence))
        head = self.head.from_features(normalised_shared(texts), vectors)
        # Categories the head was not trained on come from the few-shot scores, ``other`` excepted; they
        # count where they reach the bar, or where the few-shot ranking falls back to its best guess.
        supervised = set(self.head.labels)
        extra = [i for i, label in enumerate(labels) if label not in supervised and label != OTHER]
        shot_mask = chosen_mask(shots, self.min_confidence)
        scores = np.hstack([head, shots[:, extra]])
        mask = np.hstack([chosen_mask(head, self.min_confidence), shot_mask[:, extra]])
        return ranked_rows([*self.head.labels, *(labels[i] for i in extra)], scores, mask)

    def apply(self, batch: list[Enriched]) -> None:
        if not batch:
            return
        for item, scored in zip(batch, self.classify([item.text for item in batch]), strict=True):
            item.categories = scored
            best, confidence = scored[0]
            item.category = OTHER if confidence < self.other_below else best


class ChannelRouted:
    """Sends each message to its channel's taxonomy (CFPB complaints -> banking), the rest to a default."""

    name = "categories"

    def __init__(self, default: CategoriesStep, by_channel: dict[str, CategoriesStep]) -> None:
        self.default = default
        self.by_channel = by_channel
        parts = [default.version, *(f"{ch}:{step.version}" for ch, step in sorted(by_channel.items()))]
        self.version = "+".join(parts)

    def apply(self, batch: list[Enriched]) -> None:
        groups: dict[int, tuple[CategoriesStep, list[Enriched]]] = {}
        for item in batch:
            step = self.by_channel.get(item.channel, self.default)
            groups.setdefault(id(step), (step, []))[1].append(item)
        for step, items in groups.values():
            step.apply(items)


CHANNEL_PACKS = {"cfpb": "banking"}


def make_step(tier: str, pack: str = DEFAULT_PACK) -> ChannelRouted:
    """Registry factory: the airline pack by default and banking for CFPB complaints, each with its trained
    head (few-shot only at the baseline tier)."""

    def build(name: str) -> CategoriesStep:
        return CategoriesStep(load_taxonomy(name), None if tier == "baseline" else shipped_head(name))

    return ChannelRouted(build(pack), {channel: build(name) for channel, name in CHANNEL_PACKS.items()})
