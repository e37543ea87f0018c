"""``simulate``: write a simulated airline world (exports plus ground truth) to a folder."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from parallax.cli.context import console
from parallax.cli.groups import bench_app
from parallax.kit.benchmarks import write_section
from parallax.simulate import simulate_world, write_world
from parallax.simulate.config import DEFAULT_START


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
    bench_app.command("simulate")(bench_simulate)


def simulate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the exports and truth/ into.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same files.")] = 7,
    days: Annotated[int, typer.Option(min=1, help="Days of flying to simulate.")] = 7,
    customers: Annotated[int, typer.Option(min=100, help="Customers in the world.")] = 10_000,
    start: Annotated[
        str, typer.Option(help="First day, YYYY-MM-DD (UTC).")
    ] = DEFAULT_START.date().isoformat(),
    followup: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of survey non-respondents phoned by a follow-up (0: none)."
        ),
    ] = 0.0,
) -> None:
    """Simulate flights, disruptions, surveys, tickets and public complaints with known truth."""
    try:
        first_day = datetime.fromisoformat(start).replace(tzinfo=UTC)
    except ValueError as exc:
        raise typer.BadParameter(f"--start must be YYYY-MM-DD, got {start!r}") from exc
    began = time.perf_counter()
    world = simulate_world(seed=seed, days=days, customers=customers, start=first_day, followup=followup)
    summary = write_world(world, out)
    seconds = time.perf_counter() - began
    console.print(
        f"{summary['n_trips']:,} trips, {summary['n_interactions']:,} interactions written to {out} "
        f"in {seconds:.1f}s"
    )
    for name, count in summary["n_interactions_by_file"].items():
        console.print(f"  {name:<18} {count:>10,}")
    console.print(
        f"true satisfied {summary['true_pct_satisfied']}% vs respondents {summary['naive_pct_satisfied']}% "
        f"(response rate {100 * summary['response_rate']:.1f}%); truth in {out / 'truth'}"
    )


def bench_simulate(
    customers: Annotated[int, typer.Option(min=100, help="Customers in the world.")] = 300_000,
    days: Annotated[int, typer.Option(min=1, help="Days of flying.")] = 56,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    out: Annotated[
        Path | None, typer.Option(help="Keep the files here (default: a temporary folder).")
    ] = None,
    write: Annotated[bool, typer.Option(help="Write the figures to BENCHMARKS.md.")] = True,
) -> None:
    """Time simulating and writing a large world (the benchmark data set for ingest and metrics)."""
    with tempfile.TemporaryDirectory(prefix="parallax-sim-") as scratch:
        target = out or Path(scratch)
        began, cpu_began = time.perf_counter(), time.process_time()
        world = simulate_world(seed=seed, days=days, customers=customers)
        simulated, cpu_simulated = time.perf_counter(), time.process_time()
        summary = write_world(world, target)
        written, cpu_written = time.perf_counter(), time.process_time()
    total = summary["n_interactions"]
    lines = [
        "## Simulator",
        "",
        f"`parallax bench simulate --customers {customers} --days {days} --seed {seed}`",
        "",
        "| customers | days | trips | interactions | simulate s | write s | CPU s | interactions/CPU s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {customers:,} | {days} | {summary['n_trips']:,} | {total:,} | {simulated - began:.1f} "
        f"| {written - simulated:.1f} | {cpu_written - cpu_began:.1f} "
        f"| {total / max(cpu_written - cpu_began, 1e-9):,.0f} |",
        "",
        "Wall seconds depend on how busy the shared machine is; CPU seconds (this process, simulate "
        f"{cpu_simulated - cpu_began:.1f} + write {cpu_written - cpu_simulated:.1f}) much less so.",
        "",
        "Interactions by file: "
        + ", ".join(f"{name} {count:,}" for name, count in summary["n_interactions_by_file"].items())
        + ".",
    ]
    console.print("\n".join(lines))
    if write:
        write_section("simulate", "\n".join(lines))
