"""The trained layer of the signals: one logistic head per signal over fast features, numpy at inference.

Features: the seven lexicon scores plus the mean WordLlama static embedding of the normalised text (the same
encoder and normalisation as the fast sentiment tier, loaded once per process). Each head is a logistic
regression fitted on the development part of the gold set; its probability is the signal's score, and a
per-signal decision threshold (chosen on out-of-fold predictions of the development part) turns it into a
yes/no where one is needed (``repeated_effort``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from parallax.enrich.categories.features import shared_embeddings
from parallax.enrich.linear import normalised_shared
from parallax.enrich.signals.lexicon import lexicon_matrix

ARTIFACT = "signals_head.npz"
# How much each signal weighs in the friction index (sums to 1): the customer's overall burden.
FRICTION_WEIGHTS: dict[str, float] = {
    "friction": 0.4,
    "repeated_effort": 0.15,
    "not_helped": 0.15,
    "uncertainty": 0.1,
    "inconsistency": 0.1,
    "stress": 0.1,
}


def featurize(texts: list[str]) -> np.ndarray:
    """(n, 7 + 256) features: lexicon scores then the static embedding of the normalised text."""
    return np.hstack([lexicon_matrix(normalised_shared(texts)), shared_embeddings(texts)]).astype(np.float32)


@dataclass(frozen=True)
class SignalsHead:
    """Standardisation, weights, biases and decision thresholds for every signal."""

    signals: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (k, d)
    bias: np.ndarray  # (k,)
    thresholds: np.ndarray  # (k,)
    version: str

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            signals=np.array(self.signals),
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            version=np.array(self.version),
        )

    @classmethod
    def load(cls, path: Path) -> SignalsHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                signals=tuple(str(s) for s in data["signals"]),
                mean=data["mean"],
                scale=data["scale"],
                weights=data["weights"],
                bias=data["bias"],
                thresholds=data["thresholds"],
                version=str(data["version"]),
            )


def artifact_path() -> Path:
    return Path(str(resources.files("parallax.enrich").joinpath("artifacts", ARTIFACT)))


@cache
def shipped_head() -> SignalsHead | None:
    """The head shipped in the package, or None when it has not been trained (lexicon only then)."""
    path = artifact_path()
    return SignalsHead.load(path) if path.exists() else None


def friction_index(scores: dict[str, float]) -> float:
    """The weighted burden in [0, 1]: mostly friction itself, raised by effort, no help, confusion, stress."""
    return round(sum(weight * scores.get(signal, 0.0) for signal, weight in FRICTION_WEIGHTS.items()), 4)
