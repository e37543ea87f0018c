"""The sentiment protocol's output ranges, with the VADER baseline as the model."""

from __future__ import annotations

import numpy as np

from parallax.enrich.pipeline import Enriched
from parallax.enrich.sentiment.base import LABELS, NON_ENGLISH_CONFIDENCE, SentimentStep
from parallax.enrich.sentiment.vader import VaderModel, compound_to_proba


def test_probabilities_sum_to_one_and_follow_the_compound() -> None:
    compound = np.linspace(-1, 1, 41)
    proba = compound_to_proba(compound)
    assert np.allclose(proba.sum(axis=1), 1.0) and (proba >= 0).all()
    assert np.all(np.diff(proba[:, 2]) >= 0) and np.all(np.diff(proba[:, 0]) <= 0)
    assert [LABELS[i] for i in proba[[0, 20, 40]].argmax(axis=1)] == ["negative", "neutral", "positive"]


def test_step_fills_label_score_and_confidence_in_range() -> None:
    batch = [
        Enriched(i, t) for i, t in enumerate(["great crew, thanks!", "the gate is B12", "lost my bag, awful"])
    ]
    SentimentStep(VaderModel()).apply(batch)
    assert [item.sentiment_label for item in batch] == ["positive", "neutral", "negative"]
    for item in batch:
        assert item.sentiment_score is not None and -1.0 <= item.sentiment_score <= 1.0
        assert item.sentiment_confidence is not None and 0.0 < item.sentiment_confidence <= 1.0
        assert set(item.sentiment_probs) == set(LABELS)
    assert batch[0].sentiment_score > 0 > batch[2].sentiment_score  # type: ignore[operator]


def test_non_english_lowers_confidence() -> None:
    english, spanish = Enriched(1, "awful, awful service"), Enriched(2, "awful, awful service")
    spanish.language = "es"
    SentimentStep(VaderModel()).apply([english, spanish])
    assert spanish.sentiment_confidence == round(
        (english.sentiment_confidence or 0) * NON_ENGLISH_CONFIDENCE, 4
    )
    assert spanish.sentiment_label == english.sentiment_label
