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
from parallax.ingest.window import DateBounds
from parallax.kit.clock import utcnow
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
    encoding: Annotated[
        str | None,
        typer.Option(help="Text encoding of a CSV or JSONL file, e.g. cp1252, utf-16 (default: detected)."),
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
    allow_empty: Annotated[
        bool, typer.Option(help="A file with no rows is not an error (exit 0), e.g. a quiet day's export.")
    ] = False,
) -> None:
    """Import a file; safe to re-run (rows already stored are skipped), bad rows go to a rejects file.

    Exits 1 when the file has no rows or every row was rejected, 2 when the file cannot be read."""
    ctx = context(database_url)
    bounds = DateBounds(ctx.settings.ingest_earliest, ctx.settings.ingest_future_days)
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
                encoding=encoding,
                window=bounds.at(utcnow()),
            )
            summary = import_file(file, spec, ctx.session_factory, workspace, options)
    except ParallaxError as exc:
        err_console.print(f"[red]{exc.detail}[/]", soft_wrap=True)
        raise typer.Exit(2) from exc
    except OSError as exc:
        err_console.print(f"[red]cannot read {file}: {exc.strerror or exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from exc
    console.print(summary_table(summary, workspace))
    _report(summary, mapping, allow_empty)


def _report(summary: ImportSummary, mapping: str, allow_empty: bool) -> None:
    """What was done beyond the table; exit 1 when nothing could be imported (see ``ingest``)."""
    decoding = summary.decoding
    if decoding is not None and decoding.how in ("detected", "fallback"):
        console.print(f"[yellow]read as {decoding.describe()}[/]", soft_wrap=True)
    if summary.rows == 0:
        if allow_empty:
            console.print(f"{summary.path.name} has no rows: nothing to import")
            return
        err_console.print(f"[red]{summary.path.name} has no rows[/]: nothing was imported", soft_wrap=True)
        raise typer.Exit(1)
    if summary.rejected == summary.rows:
        first = "; ".join(f"row {e.row} {e.field}: {e.reason}" for e in summary.first_errors)
        err_console.print(
            f"[red]every one of the {summary.rows:,} row(s) was rejected[/], nothing was imported. "
            f"First errors: {first}. Check --mapping ({mapping}) against the file's columns; "
            f"every row and its reason is in {summary.rejects_path}",
            soft_wrap=True,
        )
        raise typer.Exit(1)
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
        ("encoding", "-" if summary.decoding is None else summary.decoding.label),
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
