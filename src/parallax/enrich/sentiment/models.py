"""The sentiment model of a tier, for evaluation and benchmarks (the pipeline goes through the registry)."""

from __future__ import annotations

from parallax.enrich.eval.run import Classifier


def sentiment_model(tier: str) -> Classifier:
    if tier == "baseline":
        from parallax.enrich.sentiment.vader import VaderModel

        return VaderModel()
    if tier == "fast":
        from parallax.enrich.sentiment.fast import load_fast_model

        return load_fast_model()
    if tier == "accurate":
        from parallax.enrich.sentiment.accurate import load_accurate_model

        return load_accurate_model()
    raise ValueError(f"unknown tier {tier!r}")
