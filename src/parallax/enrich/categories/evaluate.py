"""``parallax eval categories``: our classifiers against a TF-IDF + logistic regression baseline, same split.

Every model is trained on the training part of the data set and scored on its held-out part (ids hashed);
the few-shot classifier sees no labels at all, only the taxonomy's descriptions and examples.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline

from parallax.enrich.categories.data import DATASETS, Labelled, load_labelled
from parallax.enrich.categories.fewshot import PrototypeClassifier
from parallax.enrich.categories.supervised import train_head
from parallax.enrich.categories.taxonomy import load_taxonomy


@dataclass(frozen=True)
class Score:
    """One model's figures on the held-out part."""

    model: str
    macro_f1: float
    accuracy: float
    seconds: float


def _score(model: str, truth: list[str], predicted: list[str], started: float) -> Score:
    labels = sorted(set(truth))
    return Score(
        model=model,
        macro_f1=float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
        accuracy=float(accuracy_score(truth, predicted)),
        seconds=round(time.perf_counter() - started, 1),
    )


def tfidf_baseline(train: Labelled, balanced: bool) -> object:
    """The classic baseline: word 1-2 gram TF-IDF (sublinear) and a logistic regression."""
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=3000, class_weight="balanced" if balanced else None),
    )
    return model.fit(train.texts, train.labels)


def evaluate(data_dir: Path, dataset: str) -> tuple[list[Score], int, int]:
    """Scores of every model on the held-out part, with the sizes of the training and held-out parts."""
    taxonomy = load_taxonomy(DATASETS[dataset][4])
    train, heldout = load_labelled(data_dir, dataset, taxonomy)
    scores = []
    for balanced in (False, True):
        started = time.perf_counter()
        baseline = tfidf_baseline(train, balanced)
        predicted = list(baseline.predict(heldout.texts))  # type: ignore[attr-defined]
        name = "TF-IDF + LR (baseline" + (", balanced classes)" if balanced else ")")
        scores.append(_score(name, heldout.labels, predicted, started))
    started = time.perf_counter()
    head = train_head(train.texts, train.labels, fewshot=PrototypeClassifier(taxonomy))
    scores.append(_score("parallax supervised head", heldout.labels, head.predict(heldout.texts), started))
    started = time.perf_counter()
    fewshot = PrototypeClassifier(taxonomy)
    guesses = [ranked[0][0] for ranked in fewshot.classify(heldout.texts)]
    scores.append(
        _score("parallax few-shot (no labels; 'other' counts as wrong)", heldout.labels, guesses, started)
    )
    return scores, len(train.texts), len(heldout.texts)
