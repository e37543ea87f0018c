"""The fast tier's features and linear head: numpy only at inference.

Features per text: the mean static embedding (256), lexicon features (12), and a sparse bag of tokenizer
unigrams plus hashed token bigrams, each text's sparse part L2-normalised. The head is a multinomial logistic
regression over all of them with a temperature fitted on out-of-fold predictions, so its probabilities are
calibrated. Sparse logits are a gather and a ``bincount``, which is why this runs at firehose speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parallax.enrich.lexicon import lexicon_features
from parallax.enrich.static import VOCAB, StaticEncoder, load_encoder
from parallax.enrich.textnorm import normalise

BIGRAM_BUCKETS = 1 << 17
N_SPARSE = VOCAB + BIGRAM_BUCKETS
_HASH = np.int64(1_000_003)


@dataclass(frozen=True)
class Features:
    """Dense (n, d) features and the sparse part as coordinate triples over ``N_SPARSE`` columns."""

    dense: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    @property
    def n(self) -> int:
        return int(self.dense.shape[0])


_last: tuple[tuple[str, ...], Features] | None = None


def featurize_shared(texts: list[str]) -> Features:
    """``featurize`` with a one-batch memory: the sentiment and emotion steps read the same batch."""
    global _last
    key = tuple(texts)
    cached = _last
    if cached is not None and cached[0] == key:
        return cached[1]
    features = featurize(texts)
    _last = (key, features)
    return features


def featurize(texts: list[str], encoder: StaticEncoder | None = None) -> Features:
    encoder = encoder or load_encoder()
    normalised = [normalise(text) for text in texts]
    tokens = encoder.tokenize(normalised)
    dense = np.hstack([encoder.embed(tokens), lexicon_features(normalised)])
    same_text = tokens.rows[1:] == tokens.rows[:-1]
    bigrams = VOCAB + (tokens.ids[:-1][same_text] * _HASH + tokens.ids[1:][same_text]) % BIGRAM_BUCKETS
    rows = np.concatenate([tokens.rows, tokens.rows[1:][same_text]])
    cols = np.concatenate([tokens.ids, bigrams])
    keys = np.unique(rows * N_SPARSE + cols)
    rows, cols = keys // N_SPARSE, keys % N_SPARSE
    counts = np.bincount(rows, minlength=len(texts)).astype(np.float32)
    values = 1.0 / np.sqrt(counts[rows])
    return Features(dense=dense, rows=rows, cols=cols, values=values.astype(np.float32))


@dataclass(frozen=True)
class LinearHead:
    """A calibrated multinomial linear model over ``Features``."""

    labels: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    dense_w: np.ndarray  # (k, d)
    sparse_w: np.ndarray  # (k, N_SPARSE)
    bias: np.ndarray  # (k,)
    temperature: float
    version: str

    def standardise(self, dense: np.ndarray) -> np.ndarray:
        return np.asarray((dense - self.mean) / self.scale, dtype=np.float32)

    def logits(self, features: Features) -> np.ndarray:
        out = self.standardise(features.dense) @ self.dense_w.T.astype(np.float32) + self.bias
        weights = self.sparse_w[:, features.cols].astype(np.float32) * features.values
        for k in range(len(self.labels)):
            out[:, k] += np.bincount(features.rows, weights=weights[k], minlength=features.n)
        return np.asarray(out, dtype=np.float64)

    def predict_proba(self, features: Features) -> np.ndarray:
        return softmax(self.logits(features) / self.temperature)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            dense_w=self.dense_w.astype(np.float32),
            sparse_w=self.sparse_w.astype(np.float16),
            bias=self.bias.astype(np.float32),
            temperature=np.array(self.temperature),
            version=np.array(self.version),
        )

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                labels=tuple(str(label) for label in data["labels"]),
                mean=data["mean"],
                scale=data["scale"],
                dense_w=data["dense_w"],
                sparse_w=data["sparse_w"],
                bias=data["bias"],
                temperature=float(data["temperature"]),
                version=str(data["version"]),
            )


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))
