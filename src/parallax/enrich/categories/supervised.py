"""Supervised category heads where labels exist: a multinomial logistic regression over hashed word
n-grams (idf-weighted, as in TF-IDF) plus the static embedding, trained with balanced class weights
(macro-F1 is what matters: rare categories such as damaged baggage count as much as customer service).
The few-shot prototype confidences of the taxonomy are features too, and the prototypes ship in the head,
so what the taxonomy's descriptions and examples know helps the rare categories.

Only hashed columns seen in at least ``MIN_DF`` training texts are kept, both in training and in the shipped
artifact, so inference is a column gather and two small matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from parallax.enrich.categories.features import N_HASH, embedded, hashed, normalised
from parallax.enrich.categories.fewshot import PrototypeClassifier, softmax
from parallax.enrich.static import DIM

MIN_DF = 2
EMBED_WEIGHT = 0.5  # the dense block's scale next to the L2-normalised sparse block
PROTO_WEIGHT = 0.5  # the few-shot prototype confidences' scale (the taxonomy's own knowledge)
# C, EMBED_WEIGHT, idf and the prototype block were chosen on a validation slice of each training part.
DEFAULT_C = 3.0


@dataclass(frozen=True)
class CategoryHead:
    """Weights over kept hashed columns and the embedding; ``labels`` are taxonomy category ids."""

    labels: tuple[str, ...]
    columns: np.ndarray  # (m,) kept hashed column indices, sorted
    idf: np.ndarray  # (m,) inverse document frequency of each kept column in training
    sparse_w: np.ndarray  # (k, m)
    dense_w: np.ndarray  # (k, 256 + p): embedding weights, then prototype-confidence weights
    bias: np.ndarray  # (k,)
    version: str
    prototypes: np.ndarray  # (p - 1, 256) the taxonomy's few-shot prototypes; (0, 256) when unused
    temperature: float = 0.03
    other_similarity: float = 0.3
    # Made once at load: hashed column -> kept position (-1: dropped), and fp32 transposed weights.
    _position: np.ndarray = field(init=False, repr=False, compare=False)
    _sparse_t: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        position = np.full(N_HASH, -1, dtype=np.int32)
        position[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        object.__setattr__(self, "_position", position)
        object.__setattr__(self, "_sparse_t", np.ascontiguousarray(self.sparse_w.T, dtype=np.float32))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        clean = normalised(texts)
        return self.from_features(clean, embedded(clean))

    def from_features(self, clean: list[str], vectors: np.ndarray) -> np.ndarray:
        """Probabilities from normalised texts and their precomputed static embeddings."""
        kept = kept_tfidf(hashed(clean), self._position, self.idf)
        dense = dense_block(vectors, self.prototypes, self.temperature, self.other_similarity)
        logits = kept @ self._sparse_t + dense @ self.dense_w.T
        return softmax(np.asarray(logits) + self.bias)

    def predict(self, texts: list[str]) -> list[str]:
        return [self.labels[i] for i in self.probabilities(texts).argmax(axis=1)]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            columns=self.columns.astype(np.int32),
            idf=self.idf.astype(np.float32),
            sparse_w=self.sparse_w.astype(np.float16),
            dense_w=self.dense_w.astype(np.float32),
            bias=self.bias.astype(np.float32),
            version=np.array(self.version),
            prototypes=self.prototypes.astype(np.float32),
            temperature=np.array(self.temperature),
            other_similarity=np.array(self.other_similarity),
        )

    @classmethod
    def load(cls, path: Path) -> CategoryHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                labels=tuple(str(label) for label in data["labels"]),
                columns=data["columns"],
                idf=data["idf"],
                sparse_w=data["sparse_w"],
                dense_w=data["dense_w"],
                bias=data["bias"],
                version=str(data["version"]),
                prototypes=data["prototypes"],
                temperature=float(data["temperature"]),
                other_similarity=float(data["other_similarity"]),
            )


def weighted(counts: sparse.csr_matrix, columns: np.ndarray, idf: np.ndarray) -> sparse.csr_matrix:
    """The kept columns, idf-weighted, each row L2-normalised again (TF-IDF over hashed n-grams)."""
    kept = sparse.csr_matrix(counts[:, columns] @ sparse.diags(idf))
    norms = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.maximum(norms, 1e-9)) @ kept)


def kept_tfidf(counts: sparse.csr_matrix, position: np.ndarray, idf: np.ndarray) -> sparse.csr_matrix:
    """``weighted`` through a column -> position lookup: a gather instead of sparse column indexing."""
    new = position[counts.indices]
    keep = new >= 0
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[keep]
    values = counts.data[keep] * idf[new[keep]]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=counts.shape[0]))
    values = values / np.maximum(norms, 1e-9)[rows]
    return sparse.csr_matrix((values, (rows, new[keep])), shape=(counts.shape[0], len(idf)))


def dense_block(vectors: np.ndarray, prototypes: np.ndarray, temperature: float, other: float) -> np.ndarray:
    """The scaled embedding and, when there are prototypes, the scaled few-shot confidences beside it."""
    if not len(prototypes):
        return np.asarray(EMBED_WEIGHT * vectors, dtype=np.float32)
    logits = np.hstack([vectors @ prototypes.T, np.full((len(vectors), 1), other)]) / temperature
    return np.hstack([EMBED_WEIGHT * vectors, PROTO_WEIGHT * softmax(logits)]).astype(np.float32)


def features(
    texts: list[str], columns: np.ndarray, idf: np.ndarray, fewshot: PrototypeClassifier | None
) -> Any:
    clean = normalised(texts)
    prototypes = fewshot.prototypes if fewshot else np.zeros((0, DIM), dtype=np.float32)
    temperature, other = (fewshot.temperature, fewshot.other_similarity) if fewshot else (0.03, 0.3)
    dense = dense_block(embedded(clean), prototypes, temperature, other)
    return sparse.hstack([weighted(hashed(clean), columns, idf), sparse.csr_matrix(dense)], format="csr")


def frequent_columns(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashed columns present in at least ``MIN_DF`` of ``texts``, and their smoothed idf."""
    counts = np.asarray((hashed(normalised(texts)) > 0).sum(axis=0)).ravel()
    columns = np.flatnonzero(counts >= MIN_DF)
    return columns, np.log((len(texts) + 1) / (counts[columns] + 1)) + 1.0


def train_head(
    texts: list[str],
    labels: list[str],
    c: float = DEFAULT_C,
    version: str = "1",
    fewshot: PrototypeClassifier | None = None,
) -> CategoryHead:
    """Fit a balanced multinomial logistic regression on ``texts``; deterministic (lbfgs, no sampling).

    With ``fewshot``, its prototype confidences are features too and the prototypes ship in the head."""
    columns, idf = frequent_columns(texts)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(features(texts, columns, idf, fewshot), labels)
    weights, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # sklearn keeps one row for two classes: softmax([0, z]) == sigmoid(z)
        weights, bias = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
    return CategoryHead(
        labels=tuple(str(label) for label in model.classes_),
        columns=columns,
        idf=idf,
        sparse_w=weights[:, : len(columns)],
        dense_w=weights[:, len(columns) :],
        bias=bias,
        version=f"{version}-C{c:g}" + ("-proto" if fewshot else ""),
        prototypes=fewshot.prototypes if fewshot else np.zeros((0, DIM), dtype=np.float32),
        temperature=fewshot.temperature if fewshot else 0.03,
        other_similarity=fewshot.other_similarity if fewshot else 0.3,
    )


def artifact_path(pack: str) -> Path:
    return Path(str(resources.files("parallax.enrich").joinpath("artifacts", f"categories_{pack}.npz")))


@cache
def shipped_head(pack: str) -> CategoryHead | None:
    """The trained head for a built-in pack, or None when the pack has no labelled data (few-shot only)."""
    path = artifact_path(pack)
    return CategoryHead.load(path) if path.exists() else None
