"""Training and evaluating the signal heads on the gold set (development part only for fitting and tuning).

The regularisation strength is chosen by 5-fold cross-validated log loss on the development part, the
per-signal thresholds by F1 on the same out-of-fold predictions; the held-out part is only ever scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from parallax.enrich.signals.gold import GoldRow, load_texts, read_gold
from parallax.enrich.signals.lexicon import SIGNALS, lexicon_matrix
from parallax.enrich.signals.model import SignalsHead, featurize
from parallax.enrich.signals.step import LEXICON_THRESHOLD

C_GRID = (0.1, 0.3, 1.0)
FOLDS = 5
SEED = 13
EMBED_WEIGHT = 0.1


@dataclass(frozen=True)
class GoldData:
    """The gold rows with their texts, split into development and held-out parts."""

    dev: list[GoldRow]
    heldout: list[GoldRow]
    texts: dict[tuple[str, str], str]

    def arrays(self, rows: list[GoldRow]) -> tuple[list[str], np.ndarray]:
        texts = [self.texts[(row.source, row.id)] for row in rows]
        labels = np.array([[row.labels[s] for s in SIGNALS] for row in rows], dtype=np.int64)
        return texts, labels


def load_gold(gold_path: Path, data_dir: Path) -> GoldData:
    """Gold labels from the project, texts from the shared data folder (rows without text are skipped)."""
    rows = read_gold(gold_path)
    texts = load_texts(data_dir, {(row.source, row.id) for row in rows})
    present = [row for row in rows if (row.source, row.id) in texts]
    return GoldData(
        dev=[row for row in present if row.split == "dev"],
        heldout=[row for row in present if row.split == "heldout"],
        texts=texts,
    )


def _fit(features: np.ndarray, labels: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised features and one logistic regression per signal: (mean, scale, weights, bias)."""
    mean, scale = features.mean(axis=0), features.std(axis=0) + 1e-6
    # Shrinking the embedding columns is a stronger prior on them: 286 messages cannot support 256 free
    # dimensions, while the seven lexicon scores carry most of the signal.
    scale[len(SIGNALS) :] /= EMBED_WEIGHT
    x = (features - mean) / scale
    weights, bias = np.zeros((labels.shape[1], x.shape[1])), np.zeros(labels.shape[1])
    for k in range(labels.shape[1]):
        model = LogisticRegression(C=c, max_iter=2000).fit(x, labels[:, k])
        weights[k], bias[k] = model.coef_[0], model.intercept_[0]
    return np.stack([mean, scale]), weights, bias


def _predict(params: tuple[np.ndarray, np.ndarray, np.ndarray], features: np.ndarray) -> np.ndarray:
    (mean, scale), weights, bias = params
    return np.asarray(1.0 / (1.0 + np.exp(-(((features - mean) / scale) @ weights.T + bias))))


def out_of_fold(features: np.ndarray, labels: np.ndarray, c: float) -> np.ndarray:
    """Out-of-fold probabilities on the development part (folds stratified on friction)."""
    probs = np.zeros(labels.shape, dtype=np.float64)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(features, labels[:, 0]):
        probs[test] = _predict(_fit(features[train], labels[train], c), features[test])
    return probs


def best_thresholds(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per signal, the threshold in [0.1, 0.9] that maximises F1 on out-of-fold predictions."""
    grid = np.round(np.arange(0.1, 0.91, 0.05), 2)
    chosen = []
    for k in range(labels.shape[1]):
        f1s = [f1_at(labels[:, k], probs[:, k] >= t) for t in grid]
        chosen.append(grid[int(np.argmax(f1s))])
    return np.array(chosen)


def f1_at(truth: np.ndarray, predicted: np.ndarray) -> float:
    _, _, f1, _ = precision_recall_fscore_support(truth, predicted, average="binary", zero_division=0)
    return float(f1)


def train_head(gold: GoldData, version: str = "head-1") -> tuple[SignalsHead, np.ndarray, float]:
    """Fit the heads on the development part; returns the head, its out-of-fold probabilities and C."""
    texts, labels = gold.arrays(gold.dev)
    features = featurize(texts)
    losses = {c: _mean_log_loss(out_of_fold(features, labels, c), labels) for c in C_GRID}
    c = min(losses, key=lambda key: losses[key])
    oof = out_of_fold(features, labels, c)
    (mean, scale), weights, bias = _fit(features, labels, c)
    head = SignalsHead(SIGNALS, mean, scale, weights, bias, best_thresholds(oof, labels), f"{version}-C{c:g}")
    return head, oof, c


def _mean_log_loss(probs: np.ndarray, labels: np.ndarray) -> float:
    return float(
        np.mean([log_loss(labels[:, k], probs[:, k], labels=[0, 1]) for k in range(labels.shape[1])])
    )


def score_table(labels: np.ndarray, predicted: np.ndarray) -> list[dict[str, float | int | str]]:
    """Precision, recall, F1 and support per signal."""
    table: list[dict[str, float | int | str]] = []
    for k, signal in enumerate(SIGNALS):
        p, r, f1, _ = precision_recall_fscore_support(
            labels[:, k], predicted[:, k], average="binary", zero_division=0
        )
        table.append(
            {"signal": signal, "precision": p, "recall": r, "f1": f1, "support": int(labels[:, k].sum())}
        )
    return table


def evaluate(gold: GoldData, head: SignalsHead | None) -> dict[str, list[dict[str, float | int | str]]]:
    """Lexicon and trained heads on the development part (out-of-fold) and on the held-out part."""
    dev_texts, dev_labels = gold.arrays(gold.dev)
    held_texts, held_labels = gold.arrays(gold.heldout)
    results = {
        "lexicon / dev": score_table(dev_labels, lexicon_matrix(dev_texts) >= LEXICON_THRESHOLD),
        "lexicon / held-out": score_table(held_labels, lexicon_matrix(held_texts) >= LEXICON_THRESHOLD),
    }
    if head is not None:
        oof = out_of_fold(featurize(dev_texts), dev_labels, _c_of(head))
        results["model / dev (5-fold out-of-fold)"] = score_table(dev_labels, oof >= head.thresholds)
        held = head.predict_proba(featurize(held_texts))
        results["model / held-out"] = score_table(held_labels, held >= head.thresholds)
        # The random stratum alone: no keyword oversampling, so closer to the firehose (and smaller).
        random = np.array([row.stratum == "random" for row in gold.heldout])
        results["model / held-out, random stratum only"] = score_table(
            held_labels[random], held[random] >= head.thresholds
        )
    return results


def _c_of(head: SignalsHead) -> float:
    """The C the shipped head was trained with is recorded in its version (``head-1-C0.1``)."""
    marker = head.version.rpartition("-C")[2]
    try:
        return float(marker)
    except ValueError:
        return 0.1
