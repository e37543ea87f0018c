"""``parallax train sentiment --tier accurate``: fine-tune MiniLM's top layers, then fit the stacking head
over it and the shipped fast tier. Both artifacts are written to ``artifacts``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parallax.enrich.datasets import DEFAULT_DATA, airline_tweets
from parallax.enrich.sentiment.accurate import ARTIFACT, STACK_ARTIFACT
from parallax.enrich.sentiment.fast import load_fast_model
from parallax.enrich.train.stack import StackReport, fit_stack
from parallax.enrich.train.tune import TuneReport, tune_sentiment


@dataclass(frozen=True)
class AccurateReport:
    tuned: TuneReport
    stack: StackReport


def train_accurate(
    artifacts: Path,
    data_dir: Path = DEFAULT_DATA,
    seed: int = 13,
    epochs: int = 2,
    tuned_layers: int = 3,
    general: bool = True,
) -> AccurateReport:
    tuned = tune_sentiment(artifacts / ARTIFACT, data_dir, seed, epochs, tuned_layers, general)
    stack = fit_stack(
        tuned.artifact,
        load_fast_model().version,
        airline_tweets(data_dir, "train"),
        artifacts / STACK_ARTIFACT,
    )
    return AccurateReport(tuned, stack)
