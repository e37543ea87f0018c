"""The shipped sentiment and emotion models: output ranges, obvious sentences, the missing-extra message."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from parallax.enrich.emotion import EMOTIONS, EmotionStep, load_emotion_model
from parallax.enrich.pipeline import Enriched
from parallax.enrich.registry import default_pipeline
from parallax.enrich.sentiment.base import LABELS
from parallax.enrich.sentiment.fast import load_fast_model
from parallax.kit.errors import MissingExtra

POSITIVE = [
    "thank you so much, the crew was wonderful",
    "great flight, friendly staff, loved it",
    "awesome service today, thanks!",
    "best airline ever, I love you guys",
]
NEGATIVE = [
    "my bag is lost and nobody helps, worst airline",
    "flight cancelled again, terrible service",
    "three hours on hold, this is awful",
    "rude agent, delayed flight, never again",
]
NEUTRAL = ["what time does the flight to Boston leave?", "is there wifi on the 6am flight to Denver?"]


def test_fast_model_gets_obvious_sentences_right() -> None:
    model = load_fast_model()
    proba = model.predict_proba(POSITIVE + NEGATIVE + NEUTRAL)
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    expected = ["positive"] * 4 + ["negative"] * 4 + ["neutral"] * 2
    assert sum(p == e for p, e in zip(predicted, expected, strict=True)) >= 9
    assert np.allclose(proba.sum(axis=1), 1.0) and ((proba >= 0) & (proba <= 1)).all()


def test_fast_model_is_numpy_only_and_batch_independent() -> None:
    model = load_fast_model()
    together = model.predict_proba(POSITIVE + NEGATIVE)
    alone = np.vstack([model.predict_proba([text]) for text in POSITIVE + NEGATIVE])
    assert np.allclose(together, alone, atol=1e-5)
    assert model.predict_proba([""]).shape == (1, 3)


def test_fast_pipeline_fills_sentiment_and_emotion() -> None:
    batch = [
        Enriched(i, text) for i, text in enumerate(["I am furious, they lost my bag", "so happy, great trip"])
    ]
    default_pipeline("fast").run(batch)
    for item in batch:
        assert item.sentiment_label in LABELS
        assert item.sentiment_score is not None and -1 <= item.sentiment_score <= 1
        assert item.sentiment_confidence is not None and 0 < item.sentiment_confidence <= 1
        assert set(item.emotions) == set(EMOTIONS) and abs(sum(item.emotions.values()) - 1) < 1e-3
    assert batch[0].sentiment_score < 0 < batch[1].sentiment_score  # type: ignore[operator]
    strongest = [max(item.emotions, key=item.emotions.__getitem__) for item in batch]
    assert strongest == ["anger", "joy"] and [item.emotion for item in batch] == ["anger", "joy"]


def test_named_emotion_agrees_with_confident_sentiment() -> None:
    neutral, negative = Enriched(1, "I am so angry right now"), Enriched(2, "so happy, great trip")
    neutral.sentiment_probs = {"negative": 0.1, "neutral": 0.8, "positive": 0.1}
    negative.sentiment_probs = {"negative": 0.9, "neutral": 0.05, "positive": 0.05}
    EmotionStep(load_emotion_model()).apply([neutral, negative])
    assert neutral.emotion is None and neutral.emotions
    assert negative.emotion in (None, "anger", "sadness")


def test_accurate_tier_without_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from parallax.enrich.sentiment.accurate import load_accurate_model

    monkeypatch.setitem(sys.modules, "torch", None)  # what an environment without the extra looks like
    load_accurate_model.cache_clear()
    with pytest.raises(MissingExtra, match=r"pip install 'parallax-cx\[transformer\]'"):
        load_accurate_model()
    load_accurate_model.cache_clear()
