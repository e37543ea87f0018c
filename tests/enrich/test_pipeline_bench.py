"""The enrichment benchmark's plumbing (not its speed): per-step timing and the BENCHMARKS.md table."""

from __future__ import annotations

from parallax.enrich.bench import markdown, time_pipeline
from parallax.enrich.pipeline import Enriched, Pipeline


class Upper:
    name, version = "upper", "1"

    def apply(self, batch: list[Enriched]) -> None:
        for item in batch:
            item.redacted_text = item.text.upper()


def test_time_pipeline_runs_every_text_through_every_step() -> None:
    timing = time_pipeline("toy", Pipeline([Upper()]), ["a", "b", "c"] * 10, batch=7)
    assert timing.n == 30 and timing.version == "upper@1"
    assert [name for name, _ in timing.step_seconds] == ["upper"] and timing.per_second > 0


def test_markdown_states_the_command_and_the_ratio() -> None:
    timing = time_pipeline("toy", Pipeline([Upper()]), ["a"] * 5)
    text = markdown([timing], "five letters", "parallax bench enrich")
    assert "`parallax bench enrich`" in text and timing.vader_per_second > 0
    assert f"{timing.per_second / timing.vader_per_second:.3f}x" in text


def test_cpu_figures_are_reported_beside_the_wall_clock() -> None:
    timing = time_pipeline("toy", Pipeline([Upper()]), ["a b c"] * 50, batch=10)
    assert timing.cpu_seconds > 0 and timing.vader_cpu_seconds > 0
    assert timing.cpu_ratio == timing.vader_cpu_seconds / timing.cpu_seconds
    text = markdown([timing], "toys", "parallax bench enrich")
    assert f"{timing.per_cpu_second:,.0f} | {timing.cpu_ratio:.3f}x | {timing.cores_used:.2f}" in text
    assert timing.cores_used == timing.cpu_seconds / timing.seconds and timing.workers == 1
