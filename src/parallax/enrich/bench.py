"""Speed of the whole enrichment pipeline per tier, per step, against VADER alone (run in the same process,
or the same worker processes, so the ratio survives a noisy shared machine)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from parallax.enrich.pipeline import Enriched, Pipeline
from parallax.enrich.pool import PipelinePool
from parallax.enrich.sentiment.vader import VaderModel
from parallax.enrich.threads import one_blas_thread


@dataclass(frozen=True)
class TierTiming:
    tier: str
    version: str
    n: int
    seconds: float
    step_seconds: tuple[tuple[str, float], ...]
    vader_per_second: float = 0.0  # VADER alone on the same batches, interleaved (the machine's load drifts)
    cpu_seconds: float = 0.0  # CPU time over the pipeline's batches (every worker's, and this process's)
    vader_cpu_seconds: float = 0.0  # and over VADER's runs of the same batches
    workers: int = 1
    load_seconds: float = 0.0  # building the pipeline (loading its models) before the timed batches
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])  # the machine's, at the end

    @property
    def cores_used(self) -> float:
        """CPU seconds per wall second: how much of the machine the run actually got."""
        return self.cpu_seconds / self.seconds if self.seconds > 0 else 0.0

    @property
    def per_second(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else 0.0

    @property
    def ratio(self) -> float:
        return self.per_second / self.vader_per_second if self.vader_per_second > 0 else 0.0

    @property
    def per_cpu_second(self) -> float:
        return self.n / self.cpu_seconds if self.cpu_seconds > 0 else 0.0

    @property
    def cpu_ratio(self) -> float:
        """Messages per CPU-second against VADER's: the figure that moves least with the machine's load."""
        return self.vader_cpu_seconds / self.cpu_seconds if self.cpu_seconds > 0 else 0.0


def time_pipeline(
    tier: str, pipeline: Pipeline, texts: Sequence[str], batch: int = 1000, load_seconds: float = 0.0
) -> TierTiming:
    """Run every step over ``texts`` in batches, timing each step; models are warmed up first (that time
    is added to ``load_seconds``). VADER alone runs each batch just before the pipeline does, so both see
    the same load, for the ratios."""
    warm_up = time.perf_counter()
    pipeline.run([Enriched(0, text) for text in texts[:8]])
    load_seconds += time.perf_counter() - warm_up
    vader = VaderModel()
    per_step = dict.fromkeys((step.name for step in pipeline.steps), 0.0)
    wall = cpu = vader_wall = vader_cpu = 0.0
    with one_blas_thread():  # as Pipeline.run does
        for start in range(0, len(texts), batch):
            chunk = list(texts[start : start + batch])
            clock, cpu_clock = time.perf_counter(), time.process_time()
            vader.predict_proba(chunk)
            vader_wall += time.perf_counter() - clock
            vader_cpu += time.process_time() - cpu_clock
            clock, cpu_clock = time.perf_counter(), time.process_time()
            items = [Enriched(start + i, text) for i, text in enumerate(chunk)]
            for step in pipeline.steps:
                step_started = time.perf_counter()
                step.apply(items)
                per_step[step.name] += time.perf_counter() - step_started
            wall += time.perf_counter() - clock
            cpu += time.process_time() - cpu_clock
    vader_rate = len(texts) / vader_wall if vader_wall > 0 else 0.0
    return TierTiming(
        tier,
        pipeline.version,
        len(texts),
        wall,
        tuple(per_step.items()),
        vader_rate,
        cpu,
        vader_cpu,
        load_seconds=load_seconds,
    )


def time_pool(tier: str, pool: PipelinePool, texts: Sequence[str], batch: int = 1000) -> TierTiming:
    """``time_pipeline`` over worker processes: one batch per worker at a time, VADER alone on the same
    batches in the same workers just before. CPU time is every worker's plus this process's (which sends
    the texts and unpickles the enriched items); step shares are summed over the workers."""
    chunks = [list(texts[start : start + batch]) for start in range(0, len(texts), batch)]
    per_step: dict[str, float] = {}
    wall = cpu = vader_wall = vader_cpu = 0.0
    for first in range(0, len(chunks), pool.workers):
        round_ = chunks[first : first + pool.workers]
        clock, cpu_clock = time.perf_counter(), time.process_time()
        vader_cpu += sum(pool.vader_cpu_seconds(round_))
        vader_wall += time.perf_counter() - clock
        vader_cpu += time.process_time() - cpu_clock
        clock, cpu_clock = time.perf_counter(), time.process_time()
        done = pool.run_timed(round_)
        for timed in done:
            timed.items  # noqa: B018 (unpacked here, as the service does, so that its cost is counted)
        wall += time.perf_counter() - clock
        cpu += time.process_time() - cpu_clock + sum(timed.cpu_seconds for timed in done)
        for timed in done:
            for name, seconds in timed.step_seconds.items():
                per_step[name] = per_step.get(name, 0.0) + seconds
    vader_rate = len(texts) / vader_wall if vader_wall > 0 else 0.0
    return TierTiming(
        tier,
        pool.version,
        len(texts),
        wall,
        tuple(per_step.items()),
        vader_rate,
        cpu,
        vader_cpu,
        workers=pool.workers,
        load_seconds=pool.load_seconds,
    )


def markdown(timings: Sequence[TierTiming], source: str, command: str) -> str:
    lines = [
        "## Enrichment pipeline speed",
        "",
        f"Reproduce: `{command}`. Texts: {source}. Whole pipeline (every registered step), batches of 1,000, "
        "in one process or in worker processes that each run whole batches (`--workers`). The machine is "
        "shared, so VADER alone runs each batch just before the pipeline does (in the same process or the "
        "same workers), and each tier is also given in messages per CPU-second (every worker's CPU and the "
        "parent's) and as a ratio of CPU time to VADER's: the figures that move least with the load. "
        "*Load s* is building the pipeline and loading its models (per worker, in parallel), not timed "
        "in the rates. *Cores used* is CPU seconds per wall second: Linux's autogroup scheduler shares the "
        "CPUs between sessions, not processes, so on a busy machine extra workers split this session's "
        "share rather than add to it; msgs/s is then about msgs per CPU-s times cores used.",
        "",
        "| tier | workers | messages | msgs/s | VADER alone, msgs/s | ratio to VADER | msgs per CPU-s "
        "| CPU ratio to VADER | cores used | load avg | load s | slowest steps (share of time) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        total = sum(s for _, s in t.step_seconds) or 1.0
        slow = sorted(t.step_seconds, key=lambda pair: -pair[1])[:3]
        steps = ", ".join(f"{name} {seconds / total:.0%}" for name, seconds in slow)
        lines.append(
            f"| {t.tier} | {t.workers} | {t.n:,} | {t.per_second:,.0f} | {t.vader_per_second:,.0f} "
            f"| {t.ratio:.3f}x | {t.per_cpu_second:,.0f} | {t.cpu_ratio:.3f}x | {t.cores_used:.2f} "
            f"| {t.load_average:.1f} | {t.load_seconds:.1f} | {steps} |"
        )
    versions = {t.tier: t.version for t in timings}
    lines += ["", "Pipeline versions:", ""] + [f"- {tier}: `{version}`" for tier, version in versions.items()]
    return "\n".join(lines)
