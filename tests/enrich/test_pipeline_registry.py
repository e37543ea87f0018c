"""The registry's contract: ordered stages, known tiers, steps built once, the Step protocol."""

from __future__ import annotations

import pytest

from parallax.enrich.pipeline import Enriched, Step
from parallax.enrich.registry import build_step, default_pipeline, ordered_stages
from parallax.enrich.steps.language import LanguageStep, detect, is_non_english


def test_baseline_pipeline_runs_language_then_vader() -> None:
    pipeline = default_pipeline("baseline")
    names = [step.name for step in pipeline.steps]
    assert names[0] == "language" and "sentiment" in names and "emotion" not in names
    assert all(isinstance(step, Step) for step in pipeline.steps)
    assert "sentiment@vader" in pipeline.version
    batch = pipeline.run(
        [Enriched(1, "I love this crew, best flight ever"), Enriched(2, "worst delay, awful")]
    )
    assert [item.sentiment_label for item in batch] == ["positive", "negative"]


def test_stages_follow_the_canonical_order() -> None:
    names = [name for name, _ in ordered_stages()]
    canonical = ["language", "pii", "sentiment", "emotion", "signals", "categories", "entities"]
    assert names == [name for name in canonical if name in names] + [n for n in names if n not in canonical]


def test_steps_are_built_once_per_process() -> None:
    target = "parallax.enrich.steps.language:make_step"
    assert build_step(target, "fast") is build_step(target, "fast")


def test_unknown_tier_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tier"):
        default_pipeline("huge")


@pytest.mark.parametrize(
    ("text", "language", "flagged"),
    [
        ("@united my bag is still not here and nobody answers", "en", False),
        ("@iberia mi maleta no ha llegado y nadie me responde, es la tercera vez", "es", True),
        ("@airfrance mon vol a été annulé et personne ne répond au téléphone", "fr", True),
        ("@lufthansa mein Flug wurde gestrichen und niemand hilft mir weiter", "de", True),
        ("http://t.co/abc @united", "und", False),
    ],
)
def test_language_flags_non_english(text: str, language: str, flagged: bool) -> None:
    item = Enriched(1, text)
    LanguageStep().apply([item])
    assert item.language == language
    assert is_non_english(item) is flagged
    assert detect(text)[0] == language
