"""``parallax bench api``: the API's latency for everyone while one client sends pathological requests."""

from __future__ import annotations

from typing import Annotated

import typer

from parallax.cli.context import console, err_console
from parallax.cli.groups import bench_app


def register(app: typer.Typer) -> None:
    bench_app.command("api")(bench_api)


def bench_api(
    seconds: Annotated[
        float, typer.Option(min=2, max=300, help="Length of each phase (quiet, then attacked).")
    ] = 20,
    write: Annotated[bool, typer.Option(help="Write the api section of BENCHMARKS.md.")] = True,
) -> None:
    """Probe /v1/health and a normal ingest, alone and under a hostile client (loopback only, bounded)."""
    from parallax.api.bench import markdown, run, verdict
    from parallax.kit.benchmarks import write_section

    figures = run(seconds=seconds)
    report = markdown(figures)
    console.print(report)
    if write:
        write_section("api", report)
    misses = verdict(figures)
    for miss in misses:
        err_console.print(f"[red]missed: {miss}[/]")
    if misses:
        raise typer.Exit(1)
