"""``parallax enrich`` and the enrichment models' ``train``, ``eval`` and ``bench`` commands."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from parallax.cli import enrich_models_cmd
from parallax.cli.context import console, context, err_console
from parallax.enrich.categories.workspace import TaxonomyChoice, load_choice
from parallax.enrich.pipeline import BatchRunner
from parallax.enrich.pool import PipelinePool
from parallax.enrich.registry import TIERS, default_pipeline
from parallax.enrich.service import enrich_pending
from parallax.kit.db import session_scope
from parallax.kit.errors import ParallaxError

CHUNK = 5000  # interactions per transaction: a crash loses at most one chunk of work, never a written row

TierOption = Annotated[str, typer.Option(help=f"Model tier: {' | '.join(TIERS)} (baseline = VADER).")]


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich)
    enrich_models_cmd.register()


def _fail(exc: ParallaxError) -> typer.Exit:
    err_console.print(f"[red]{exc.detail}[/]")
    return typer.Exit(2)


def enrich(
    workspace: Annotated[str, typer.Option(help="Workspace (tenant) id.")] = "demo",
    tier: TierOption = "fast",
    batch_size: Annotated[int, typer.Option(help="Interactions per model call.")] = 1000,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes running whole batches (each loads the models once).")
    ] = 1,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Overrides PARALLAX_DATABASE_URL.")
    ] = None,
) -> None:
    """Enrich every interaction with text that this pipeline version has not seen (safe to re-run)."""
    ctx = context(database_url)
    try:
        with ctx.session_factory() as session:
            taxonomy = load_choice(session, workspace)  # the workspace's own pack or YAML (settings page)
        pipeline = _runner(tier, taxonomy, workers)
    except ParallaxError as exc:
        raise _fail(exc) from exc
    console.print(f"pipeline [bold]{pipeline.version}[/]" + (f" in {workers} workers" if workers > 1 else ""))
    try:
        total = _enrich_all(ctx, workspace, pipeline, batch_size)
    finally:
        if isinstance(pipeline, PipelinePool):
            pipeline.close()
    console.print(f"enriched [bold]{total}[/] interactions in workspace [bold]{workspace}[/]")


def _runner(tier: str, taxonomy: TaxonomyChoice, workers: int) -> BatchRunner:
    if workers > 1:
        return PipelinePool(tier, workers, taxonomy=taxonomy)
    return default_pipeline(tier, taxonomy=taxonomy)


def _enrich_all(ctx: Any, workspace: str, pipeline: BatchRunner, batch_size: int) -> int:
    total = 0
    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("enrich", total=None)
        while True:
            with session_scope(ctx.session_factory) as session:
                report = enrich_pending(
                    session,
                    workspace,
                    pipeline,
                    batch_size=batch_size,
                    limit=CHUNK,
                    on_batch=lambda n: progress.advance(task, n),
                )
            total += report.enriched
            if report.enriched < CHUNK:
                break
    return total
