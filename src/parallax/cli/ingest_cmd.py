"""``parallax ingest FILE`` and ``parallax bench ingest``: delivery only, the work is in parallax.ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from parallax.cli.context import console, context, err_console
from parallax.cli.groups import bench_app
from parallax.ingest.importer import (
    DEFAULT_BATCH_ROWS,
    ImportOptions,
    ImportSummary,
    import_file,
    total_units,
)
from parallax.ingest.mapping import builtin_names, load_mapping
from parallax.kit.errors import ParallaxError


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    bench_app.command("ingest")(bench_ingest)


def ingest(
    file: Annotated[Path, typer.Argument(help="CSV, JSONL or Parquet file.", exists=True, dir_okay=False)],
    mapping: Annotated[
        str, typer.Option(help=f"Built-in mapping ({', '.join(builtin_names())}) or a mapping .yaml path.")
    ] = "parallax",
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv | jsonl | parquet (default: from the extension).")
    ] = None,
    workspace: Annotated[str, typer.Option(help="Workspace (tenant) id; created if missing.")] = "demo",
    source: Annotated[
        str | None, typer.Option(help="Source name for idempotency (default: the mapping's).")
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option(help="Rejects CSV path (default: FILE's folder, FILE.rejects.csv).")
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=50_000, help="Rows per committed batch.")
    ] = DEFAULT_BATCH_ROWS,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Overrides PARALLAX_DATABASE_URL.")
    ] = None,
) -> None:
    """Import a file; safe to re-run (rows already stored are skipped), bad rows go to a rejects file."""
    ctx = context(database_url)
    try:
        spec = load_mapping(mapping)
        total = total_units(file, fmt)
        columns = _progress_columns(fmt == "parquet" or file.suffix.lower() in (".parquet", ".pq"))
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(f"ingest {file.name}", total=total)
            options = ImportOptions(
                fmt=fmt,
                source=source,
                batch_size=batch_size,
                rejects_path=rejects,
                on_batch=lambda _summary, position: progress.update(task, completed=position),
            )
            summary = import_file(file, spec, ctx.session_factory, workspace, options)
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]")
        raise typer.Exit(2) from exc
    console.print(summary_table(summary, workspace))
    if summary.rejects_path is not None:
        console.print(
            f"[yellow]{summary.rejected} row(s) rejected[/]; see {summary.rejects_path}", soft_wrap=True
        )


def _progress_columns(rows: bool) -> list[ProgressColumn]:
    amount = TaskProgressColumn() if rows else DownloadColumn()
    return [TextColumn("{task.description}"), BarColumn(), amount, TimeRemainingColumn()]


def summary_table(summary: ImportSummary, workspace: str) -> Table:
    table = Table(title=f"{summary.path.name} → workspace {workspace}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for label, value in (
        ("format / mapping", f"{summary.format} / {summary.mapping}"),
        ("source", summary.source),
        ("rows read", f"{summary.rows:,}"),
        ("inserted", f"{summary.inserted:,}"),
        ("already there (skipped)", f"{summary.duplicates:,}"),
        ("rejected", f"{summary.rejected:,}"),
        ("batches committed", f"{summary.batches:,}"),
    ):
        table.add_row(label, value)
    for field_name, count in sorted(summary.errors_by_field.items(), key=lambda item: -item[1])[:10]:
        table.add_row(f"  errors in {field_name}", f"{count:,}")
    return table


def bench_ingest(
    rows: Annotated[int, typer.Option(help="Rows in the generated CSV.")] = 50_000,
    http_rows: Annotated[int, typer.Option(help="Rows sent over HTTP (batches of 1,000).")] = 20_000,
    pg_url: Annotated[
        str | None,
        typer.Option(help="PostgreSQL server to create a throwaway database on; 'none' skips PostgreSQL."),
    ] = "postgresql://postgres@127.0.0.1:5432/postgres",
    write: Annotated[bool, typer.Option(help="Write the ingest section of BENCHMARKS.md.")] = True,
) -> None:
    """Interactions/s from a generated CSV into SQLite and PostgreSQL, from file and over HTTP."""
    from parallax.ingest.bench import run_benchmark

    run_benchmark(rows=rows, http_rows=http_rows, pg_url=None if pg_url == "none" else pg_url, write=write)
