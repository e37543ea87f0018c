"""The ``enrich-quality`` section of BENCHMARKS.md: every standard evaluation with its command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parallax.enrich.eval.run import EvalResult


@dataclass(frozen=True)
class Row:
    data: str
    command: str
    result: EvalResult


def quality_markdown(rows: Sequence[Row], skipped: Sequence[str]) -> str:
    lines = [
        "## Enrichment model quality",
        "",
        "Held-out data only: the airline figures use the held-out fifth of `tweets_dev.csv` (ids chosen by a "
        "salted hash, never trained on); TweetEval sentiment has no training split here (generalisation); "
        "TweetEval emotion is scored on `val` (trained on `train`). Reproduce all rows with "
        "`parallax eval enrich-quality`, or one row with its command.",
        "",
        "| model | data | n | accuracy | macro-F1 | macro-recall | command |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        m = row.result.metrics
        lines.append(
            f"| {row.result.name} | {row.data} | {m.n:,} | {m.accuracy:.3f} | {m.macro_f1:.3f} | "
            f"{m.macro_recall:.3f} | `{row.command}` |"
        )
    lines += ["", "Model versions:", ""]
    lines += sorted({f"- {row.result.name}: `{row.result.version}`" for row in rows})
    if skipped:
        lines += ["", "Not measured in this run: " + "; ".join(skipped) + "."]
    return "\n".join(lines)
