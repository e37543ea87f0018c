"""Builds the sentiment step for a tier; each model loads once per process."""

from __future__ import annotations

from parallax.enrich.sentiment.base import SentimentStep
from parallax.enrich.sentiment.vader import VaderModel


def make_step(tier: str) -> SentimentStep:
    if tier == "baseline":
        return SentimentStep(VaderModel())
    if tier == "fast":
        from parallax.enrich.sentiment.fast import load_fast_model

        return SentimentStep(load_fast_model())
    if tier == "accurate":
        from parallax.enrich.sentiment.accurate import load_accurate_model

        return SentimentStep(load_accurate_model())
    raise ValueError(f"unknown tier {tier!r}")
