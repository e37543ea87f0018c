"""Evaluation runs: a classifier over labelled data, timed, with metrics in the label order of the model."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from parallax.enrich.datasets import Labelled
from parallax.enrich.eval.metrics import Metrics, classification_metrics
from parallax.kit.errors import ValidationFailed


class Classifier(Protocol):
    version: str

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class EvalResult:
    name: str
    version: str
    metrics: Metrics
    seconds: float

    @property
    def per_second(self) -> float:
        return self.metrics.n / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "messages_per_second": round(self.per_second, 1),
            **self.metrics.as_dict(),
        }


def evaluate(
    name: str, model: Classifier, labels: Sequence[str], data: Labelled, batch: int = 1000
) -> EvalResult:
    """Predict every text in batches and compare with the labels (which must be among ``labels``)."""
    unknown = sorted(set(data.labels) - set(labels))
    if unknown:
        raise ValidationFailed(f"labels {unknown[:5]} are not among {list(labels)}")
    if not len(data):
        raise ValidationFailed("no labelled rows to evaluate")
    model.predict_proba(list(data.texts[:2]))  # loads lazily-loaded parts outside the timing
    started = time.perf_counter()
    predicted: list[str] = []
    for start in range(0, len(data), batch):
        proba = model.predict_proba(list(data.texts[start : start + batch]))
        predicted.extend(labels[i] for i in proba.argmax(axis=1))
    seconds = time.perf_counter() - started
    return EvalResult(name, model.version, classification_metrics(data.labels, predicted, labels), seconds)
