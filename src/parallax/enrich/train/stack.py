"""Fitting the accurate tier's stacking head: tuned MiniLM and the fast tier, weighed per class.

The head is fitted on the calibration slice of the airline training split (10% of ids by hash), which
neither part trained on: MiniLM's fine-tuning leaves it out, and the fast tier's part here is a probe fitted
without it (the shipped fast head, fitted on all training ids, is what runs at inference). MiniLM's
probabilities come from the quantised model exactly as inference runs it. Six inputs and three classes: a
few hundred tweets are enough, and the figures below are cross-validated on that slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from parallax.enrich.datasets import Labelled
from parallax.enrich.eval.metrics import Metrics, classification_metrics
from parallax.enrich.linear import featurize, softmax
from parallax.enrich.sentiment.stacked import save_stack, stack_inputs
from parallax.enrich.train.fast import DEFAULT_C, SENTIMENT_LABELS
from parallax.enrich.train.linear import fit_logistic, fit_temperature, in_calibration, subset
from parallax.enrich.tuned import load_tuned

STACK_C = 1.0
FOLDS = 5


@dataclass(frozen=True)
class StackReport:
    artifact: Path
    version: str
    n: int
    cross_validated: Metrics  # the stack, 5-fold on the calibration slice
    minilm_alone: Metrics  # on the same rows, for comparison


def fast_probe_proba(data: Labelled) -> np.ndarray:
    """Calibrated fast-tier probabilities on the calibration slice, from a head fitted on the rest."""
    features = featurize(list(data.texts))
    y = np.array([SENTIMENT_LABELS.index(label) for label in data.labels])
    calibration = np.array([in_calibration(item_id) for item_id in data.ids])
    fit_rows = np.flatnonzero(~calibration)
    # Its temperature is fitted on the rows it scores, as the shipped head's was (on a probe like this).
    probe = fit_logistic(subset(features, fit_rows), y[fit_rows], SENTIMENT_LABELS, DEFAULT_C, None, "probe")
    logits = probe.logits(subset(features, np.flatnonzero(calibration)))
    return softmax(logits / fit_temperature(logits, y[calibration]))


def fit_stack(tuned_artifact: Path, fast_version: str, airline_train: Labelled, out: Path) -> StackReport:
    """Fit the head over (tuned MiniLM, fast tier) on the airline calibration slice; write ``out``."""
    calibration = [in_calibration(item_id) for item_id in airline_train.ids]
    texts = [t for t, c in zip(airline_train.texts, calibration, strict=True) if c]
    truth = [label for label, c in zip(airline_train.labels, calibration, strict=True) if c]
    y = np.array([SENTIMENT_LABELS.index(label) for label in truth])
    minilm = load_tuned(tuned_artifact)
    minilm_proba = minilm.predict_proba(texts)
    inputs = stack_inputs([minilm_proba, fast_probe_proba(airline_train)])
    model = LogisticRegression(C=STACK_C, max_iter=1000)
    folds = cross_val_predict(LogisticRegression(C=STACK_C, max_iter=1000), inputs, y, cv=FOLDS)
    model.fit(inputs, y)
    version = f"{minilm.version}+fast-stack"
    save_stack(out, model.coef_, model.intercept_, version, (minilm.version, fast_version))

    def metrics(predicted: np.ndarray) -> Metrics:
        return classification_metrics(truth, [SENTIMENT_LABELS[i] for i in predicted], SENTIMENT_LABELS)

    return StackReport(out, version, len(y), metrics(folds), metrics(minilm_proba.argmax(axis=1)))
