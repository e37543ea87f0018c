"""Classification metrics in plain numpy: accuracy, macro-F1, macro-recall and the confusion matrix.

Example:
    >>> m = classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], ("a", "b"))
    >>> (m.accuracy, round(m.macro_f1, 4), m.macro_recall, m.confusion)
    (0.75, 0.7333, 0.75, ((1, 1), (0, 2)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Metrics:
    labels: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    macro_recall: float
    per_class_f1: tuple[float, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: true label, columns: predicted label

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def classification_metrics(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Metrics:
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    confusion = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(truth, predicted, strict=True):
        confusion[index[t], index[p]] += 1
    true_pos = np.diag(confusion).astype(np.float64)
    support = confusion.sum(axis=1).astype(np.float64)
    predicted_count = confusion.sum(axis=0).astype(np.float64)
    recall = np.divide(true_pos, support, out=np.zeros(k), where=support > 0)
    precision = np.divide(true_pos, predicted_count, out=np.zeros(k), where=predicted_count > 0)
    f1 = np.divide(
        2 * precision * recall, precision + recall, out=np.zeros(k), where=(precision + recall) > 0
    )
    n = int(confusion.sum())
    present = support > 0
    return Metrics(
        labels=tuple(labels),
        n=n,
        accuracy=float(true_pos.sum() / n) if n else 0.0,
        macro_f1=float(f1[present].mean()) if present.any() else 0.0,
        macro_recall=float(recall[present].mean()) if present.any() else 0.0,
        per_class_f1=tuple(float(x) for x in f1),
        confusion=tuple(tuple(int(x) for x in row) for row in confusion),
    )
