"""Speed of the whole enrichment pipeline per tier, per step, against VADER alone (run in the same process,
so the ratio survives a noisy shared machine)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from parallax.enrich.pipeline import Enriched, Pipeline
from parallax.enrich.sentiment.vader import VaderModel
from parallax.enrich.threads import one_blas_thread


@dataclass(frozen=True)
class TierTiming:
    tier: str
    version: str
    n: int
    seconds: float
    step_seconds: tuple[tuple[str, float], ...]
    vader_per_second: float = 0.0  # VADER alone, measured just before this tier (the machine's load drifts)

    @property
    def per_second(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else 0.0

    @property
    def ratio(self) -> float:
        return self.per_second / self.vader_per_second if self.vader_per_second > 0 else 0.0


def time_vader(texts: Sequence[str], batch: int = 1000) -> float:
    """Messages per second of VADER alone: the baseline every tier is compared with."""
    model = VaderModel()
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        model.predict_proba(list(texts[start : start + batch]))
    return len(texts) / (time.perf_counter() - started)


def time_pipeline(tier: str, pipeline: Pipeline, texts: Sequence[str], batch: int = 1000) -> TierTiming:
    """Run every step over ``texts`` in batches, timing each step; models are warmed up first, and VADER
    alone is timed on the same texts just before, for the ratio."""
    pipeline.run([Enriched(0, text) for text in texts[:8]])
    vader = time_vader(texts[: min(len(texts), 2000)], batch)
    per_step = dict.fromkeys((step.name for step in pipeline.steps), 0.0)
    started = time.perf_counter()
    with one_blas_thread():  # as Pipeline.run does
        for start in range(0, len(texts), batch):
            items = [Enriched(start + i, text) for i, text in enumerate(texts[start : start + batch])]
            for step in pipeline.steps:
                step_started = time.perf_counter()
                step.apply(items)
                per_step[step.name] += time.perf_counter() - step_started
    seconds = time.perf_counter() - started
    return TierTiming(tier, pipeline.version, len(texts), seconds, tuple(per_step.items()), vader)


def markdown(timings: Sequence[TierTiming], source: str, command: str) -> str:
    lines = [
        "## Enrichment pipeline speed",
        "",
        f"Reproduce: `{command}`. Texts: {source}. Whole pipeline (every registered step), batches of 1,000, "
        "one process. The machine is shared, so each tier's ratio is against VADER alone timed on the same "
        "texts just before it.",
        "",
        "| tier | messages | msgs/s | VADER alone, msgs/s | ratio to VADER | slowest steps (share of time) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        total = sum(s for _, s in t.step_seconds) or 1.0
        slow = sorted(t.step_seconds, key=lambda pair: -pair[1])[:3]
        steps = ", ".join(f"{name} {seconds / total:.0%}" for name, seconds in slow)
        lines.append(
            f"| {t.tier} | {t.n:,} | {t.per_second:,.0f} | {t.vader_per_second:,.0f} | {t.ratio:.3f}x "
            f"| {steps} |"
        )
    lines += ["", "Pipeline versions:", ""] + [f"- {t.tier}: `{t.version}`" for t in timings]
    return "\n".join(lines)
