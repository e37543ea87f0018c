"""The fast tier's features and linear head: numpy only at inference.

Features per text: the mean static embedding (256), lexicon features (12), and a sparse bag of tokenizer
unigrams plus hashed token bigrams, each text's sparse part L2-normalised. The head is a multinomial logistic
regression over all of them with a temperature fitted on out-of-fold predictions, so its probabilities are
calibrated. Sparse logits are a gather and a ``bincount``, which is why this runs at firehose speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse

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

    @cached_property
    def matrix(self) -> sparse.csr_matrix:
        """The sparse part as an (n, N_SPARSE) CSR matrix (rows come sorted from ``featurize``)."""
        return sparse.csr_matrix((self.values, (self.rows, self.cols)), shape=(self.n, N_SPARSE))


@dataclass(frozen=True)
class _Batch:
    texts: tuple[str, ...]
    normalised: list[str]
    features: Features


_last: _Batch | None = None


def _shared(texts: list[str]) -> _Batch:
    """One-batch memory: every fast step of a pipeline reads the same batch, so it is featurised once."""
    global _last
    key = tuple(texts)
    cached = _last
    if cached is not None and cached.texts == key:
        return cached
    normalised = [normalise(text) for text in texts]
    _last = _Batch(key, normalised, featurize_normalised(normalised))
    return _last


def featurize_shared(texts: list[str]) -> Features:
    """``featurize`` of ``texts``, computed once per batch for the sentiment, emotion, signals and category
    steps."""
    return _shared(texts).features


def normalised_shared(texts: list[str]) -> list[str]:
    """``normalise`` of each text, from the same one-batch memory as ``featurize_shared`` (do not mutate)."""
    return _shared(texts).normalised


def featurize(texts: list[str], encoder: StaticEncoder | None = None) -> Features:
    return featurize_normalised([normalise(text) for text in texts], encoder)


def featurize_normalised(normalised: list[str], encoder: StaticEncoder | None = None) -> Features:
    encoder = encoder or load_encoder()
    tokens = encoder.tokenize(normalised)
    dense = np.hstack([encoder.embed(tokens), lexicon_features(normalised)])
    same_text = tokens.rows[1:] == tokens.rows[:-1]
    bigrams = VOCAB + (tokens.ids[:-1][same_text] * _HASH + tokens.ids[1:][same_text]) % BIGRAM_BUCKETS
    rows = np.concatenate([tokens.rows, tokens.rows[1:][same_text]])
    cols = np.concatenate([tokens.ids, bigrams])
    keys = np.sort(rows * N_SPARSE + cols)
    if len(keys):  # sort-and-compare: np.unique's hashing is ~20x slower than this here
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    rows, cols = keys // N_SPARSE, keys % N_SPARSE
    counts = np.bincount(rows, minlength=len(normalised)).astype(np.float32)
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
    # float32, transposed, made once: converting the fp16 table per batch costs more than its memory.
    _dense_t: np.ndarray = field(init=False, repr=False, compare=False)
    _sparse_t: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_dense_t", np.ascontiguousarray(self.dense_w.T, dtype=np.float32))
        object.__setattr__(self, "_sparse_t", np.ascontiguousarray(self.sparse_w.T, dtype=np.float32))

    def standardise(self, dense: np.ndarray) -> np.ndarray:
        return np.asarray((dense - self.mean) / self.scale, dtype=np.float32)

    def logits(self, features: Features) -> np.ndarray:
        out = self.standardise(features.dense) @ self._dense_t + self.bias
        out += features.matrix @ self._sparse_t
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
