"""A stacked sentiment model: a logistic head over the log-probabilities of several sentiment models.

The accurate tier stacks the tuned MiniLM over the fast tier. The two err differently (a transformer's
context against word and bigram evidence with a valence lexicon), so a head that weighs them per class beats
either alone. The fast tier's features are computed once per batch for the emotion step anyway, so its part
costs next to nothing here.

Example:
    >>> import numpy as np
    >>> class Fixed:
    ...     version = "fixed"
    ...     def __init__(self, p): self.p = np.array([p])
    ...     def predict_proba(self, texts): return np.repeat(self.p, len(texts), axis=0)
    >>> weight = np.hstack([np.eye(3), np.zeros((3, 3))])  # trusts the first model only
    >>> model = StackedSentiment((Fixed([0.7, 0.2, 0.1]), Fixed([0.1, 0.1, 0.8])), weight, np.zeros(3), "s")
    >>> model.predict_proba(["a", "b"]).round(2).tolist()
    [[0.7, 0.2, 0.1], [0.7, 0.2, 0.1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from parallax.enrich.linear import softmax
from parallax.enrich.sentiment.base import SentimentModel

FLOOR = 1e-6  # keeps log-probabilities finite where a model is certain


def stack_inputs(probabilities: Sequence[np.ndarray]) -> np.ndarray:
    """The stacking head's input: each model's log-probabilities side by side, (n, 3 * models)."""
    return np.hstack([np.log(np.clip(p, FLOOR, 1.0)) for p in probabilities])


class StackedSentiment:
    """``softmax(stack_inputs(parts) @ weight.T + bias)``; the head is fitted by ``train.stack``."""

    def __init__(
        self, parts: Sequence[SentimentModel], weight: np.ndarray, bias: np.ndarray, version: str
    ) -> None:
        if weight.shape != (len(bias), 3 * len(parts)):
            raise ValueError(f"stack weight {weight.shape} does not fit {len(parts)} models of 3 classes")
        self.parts = tuple(parts)
        self.weight = weight
        self.bias = bias
        self.version = version

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.bias)))
        inputs = stack_inputs([part.predict_proba(texts) for part in self.parts])
        return softmax(inputs @ self.weight.T + self.bias)


def save_stack(path: Path, weight: np.ndarray, bias: np.ndarray, version: str, parts: Sequence[str]) -> None:
    np.savez(path, weight=weight, bias=bias, version=np.array(version), parts=np.array(list(parts)))


def load_stack(path: Path) -> tuple[np.ndarray, np.ndarray, str, tuple[str, ...]]:
    """(weight, bias, version, the versions of the parts it was fitted over)."""
    with np.load(path) as data:
        parts = tuple(str(p) for p in data["parts"])
        return data["weight"], data["bias"], str(data["version"]), parts
