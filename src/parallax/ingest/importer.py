"""Import a file: read in chunks, map, validate, insert, and commit batch by batch.

Each commit is an acknowledgement: a crash loses at most the batch in flight, and a re-run skips what
is already stored because inserts are idempotent on (workspace, source, external_id).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.column_check import check_columns
from parallax.ingest.columnar import ColumnMapper
from parallax.ingest.encoding import Decoding, plan_decoding, utf8_copy
from parallax.ingest.engine import Mapper
from parallax.ingest.mapping import MappingSpec
from parallax.ingest.readers import Chunk, csv_header, infer_format, progress_total, read_chunks
from parallax.ingest.rejects import RejectsWriter, default_rejects_path
from parallax.ingest.validate import RowError, validate_rows
from parallax.ingest.window import DateWindow
from parallax.store.interactions import insert_interaction_columns, insert_interactions
from parallax.store.workspaces import ensure_workspace


@dataclass
class ImportSummary:
    """What one run did. ``rows`` counts rows read; each is inserted, a duplicate, or rejected."""

    path: Path
    format: str
    mapping: str
    source: str
    rows: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    rejects_path: Path | None = None
    errors_by_field: dict[str, int] = field(default_factory=dict)
    # CPU seconds of the thread that inserted and committed (the writer): with the rest of the process's
    # CPU, what tells whether the writer or the reading, mapping and checking bounds an overlapped import.
    write_cpu_seconds: float = 0.0
    # How the text was decoded (encoding.py); None for Parquet.
    decoding: Decoding | None = None
    # The first few errors, in file order: what a run that rejected every row shows.
    first_errors: list[RowError] = field(default_factory=list)


# Rows per committed batch. SQLite rewrites every page a commit touched into its WAL, and the hot index
# pages are touched by every batch: 5,000 rows a commit cost ~15% less CPU a row than 1,000 (docs/ingest.md).
DEFAULT_BATCH_ROWS = 5000


@dataclass(frozen=True)
class ImportOptions:
    fmt: str | None = None
    source: str | None = None
    batch_size: int = DEFAULT_BATCH_ROWS
    rejects_path: Path | None = None
    # Write batch n on a worker thread while batch n + 1 is prepared (see _writer); off, one thread does all.
    overlap: bool = True
    # Map and check CSV batches a column at a time (columnar.py, column_check.py), sending only the rows it is
    # unsure of through the row path; off, every row takes the row path (the reference the tests compare to).
    columnar: bool = True
    # Called after every commit with the running summary and the reader's position (bytes, or rows for
    # Parquet). Progress bars hang here; so do tests that simulate a crash after N batches.
    on_batch: Callable[[ImportSummary, int], None] | None = None
    # The text encoding of a CSV or JSONL file (a Python codec name); None: detected (encoding.py).
    encoding: str | None = None
    # Rows with a timestamp outside it are rejected (window.py); None: no bound. The CLI always sets one.
    window: DateWindow | None = None


def import_file(
    path: Path,
    spec: MappingSpec,
    session_factory: sessionmaker[Session],
    workspace_id: str,
    options: ImportOptions | None = None,
) -> ImportSummary:
    """Import ``path`` into ``workspace_id`` (created if missing); returns the summary of this run.

    A CSV or JSONL file that is not UTF-8 is read through a UTF-8 copy (encoding.py); one that cannot be
    decoded raises ValidationFailed before anything is written."""
    opts = options or ImportOptions()
    fmt = infer_format(path, opts.fmt)
    decoding = None if fmt == "parquet" else plan_decoding(path, opts.encoding)
    mapper = Mapper(spec, opts.source)
    summary = ImportSummary(path, fmt, spec.name, mapper.source, decoding=decoding)
    readable: AbstractContextManager[Path] = (
        nullcontext(path) if decoding is None else utf8_copy(path, decoding)
    )
    with readable as text_path:
        columns = csv_header(text_path) if fmt == "csv" else None
        with session_factory() as session:
            ensure_workspace(session, workspace_id)
            session.commit()
        _import_chunks(text_path, columns, mapper, summary, session_factory, workspace_id, opts)
    return summary


def _import_chunks(
    path: Path,
    columns: list[str] | None,
    mapper: Mapper,
    summary: ImportSummary,
    session_factory: sessionmaker[Session],
    workspace_id: str,
    opts: ImportOptions,
) -> None:
    """Read, prepare and write ``path`` (the readable copy) chunk by chunk into ``summary``."""
    columnar = ColumnMapper.of(mapper) if opts.columnar else None
    rejects_path = opts.rejects_path or default_rejects_path(summary.path)
    with RejectsWriter(rejects_path, columns) as rejects, _writer(opts.overlap) as writer:
        in_flight: Future[None] | None = None
        for chunk in read_chunks(path, summary.format, max(1, opts.batch_size)):
            good, errors = _prepare(mapper, columnar, chunk, opts.window)
            if in_flight is not None:
                in_flight.result()  # re-raises a failed write (or a failing on_batch) here, in order
            batch = _Batch(chunk, good, errors)
            in_flight = writer.submit(_write, batch, session_factory, workspace_id, rejects, summary, opts)
        if in_flight is not None:
            in_flight.result()
        summary.rejects_path = rejects_path if rejects.count else None


class _InlineWriter:
    """Runs each write at once, on the calling thread: the ``overlap=False`` executor."""

    def __enter__(self) -> _InlineWriter:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def submit(self, fn: Callable[..., None], *args: Any) -> Future[None]:
        done: Future[None] = Future()
        try:
            fn(*args)
        except Exception as exc:
            done.set_exception(exc)
        else:
            done.set_result(None)
        return done


def _writer(overlap: bool) -> ThreadPoolExecutor | _InlineWriter:
    """With overlap, the next chunk is read, mapped and validated while the previous one is written: the
    database drivers release the GIL, so on a machine with a free core the two stages run side by side.
    Batches commit one at a time, in order, either way."""
    return ThreadPoolExecutor(1, "parallax-ingest") if overlap else _InlineWriter()


@dataclass(frozen=True)
class _Batch:
    chunk: Chunk
    good: list[dict[str, Any]] | dict[str, list[Any]]  # rows (row path) or one list a field (column path)
    errors: list[RowError]


def _write(
    batch: _Batch,
    session_factory: sessionmaker[Session],
    workspace_id: str,
    rejects: RejectsWriter,
    summary: ImportSummary,
    opts: ImportOptions,
) -> None:
    """Insert and commit one batch (the acknowledgement), then record its rejects and report progress."""
    started = time.thread_time()
    with session_factory() as session:
        if isinstance(batch.good, dict):
            result = insert_interaction_columns(session, workspace_id, batch.good)
        else:
            result = insert_interactions(session, workspace_id, batch.good)
        session.commit()
    summary.write_cpu_seconds += time.thread_time() - started
    if batch.errors:
        rejects.write(batch.errors, _originals(batch.chunk, batch.errors))
    _count(summary, batch.chunk, result.inserted, result.duplicates, batch.errors)
    if opts.on_batch is not None:
        opts.on_batch(summary, batch.chunk.position)


def total_units(path: Path, fmt: str | None) -> int:
    """What ``on_batch``'s position runs up to, for a progress bar."""
    return progress_total(path, infer_format(path, fmt))


def _prepare(
    mapper: Mapper, columnar: ColumnMapper | None, chunk: Chunk, window: DateWindow | None
) -> tuple[list[dict[str, Any]] | dict[str, list[Any]], list[RowError]]:
    """Map then validate the chunk's rows; errors name the source column where there is one."""
    if columnar is not None and chunk.columns is not None:
        return _prepare_columns(mapper, columnar, chunk, window)
    errors = [RowError(number, field, reason) for number, field, reason, _ in chunk.broken]
    mapped: list[tuple[int, dict[str, Any]]] = []
    for number, row in zip(chunk.numbers, chunk.rows, strict=True):
        record, problems = mapper.map_row(row)
        if record is None:
            errors.extend(RowError(number, p.column, p.reason) for p in problems)
        else:
            mapped.append((number, record))
    good, invalid = validate_rows(mapped, window)
    errors.extend(RowError(e.row, _column(mapper, e.field), e.reason) for e in invalid)
    return good, errors


def _prepare_columns(
    mapper: Mapper, columnar: ColumnMapper, chunk: Chunk, window: DateWindow | None
) -> tuple[dict[str, list[Any]], list[RowError]]:
    """The column path; each row it is unsure of is decided (and its error worded) by the row path."""
    count = len(chunk.numbers)
    mapped = columnar.map_columns(chunk.columns or {}, count, chunk.arrays)
    columns = check_columns(mapped, count, window)
    errors: list[RowError] = []
    dropped: set[int] = set()
    for index in sorted(mapped.unsure):
        one = Chunk([chunk.numbers[index]], [chunk.row(index)], 0, [])
        good, problems = _prepare(mapper, None, one, window)
        errors.extend(problems)
        if isinstance(good, list) and good:
            for name, value in good[0].items():
                columns[name][index] = value
        else:
            dropped.add(index)
    if dropped:
        keep = [index for index in range(count) if index not in dropped]
        columns = {name: [values[i] for i in keep] for name, values in columns.items()}
    return columns, errors


def _column(mapper: Mapper, field_name: str) -> str:
    head = field_name.split(".", 1)[0]
    column = mapper.column_of(head)
    return field_name if column == head else column


def _originals(chunk: Chunk, errors: list[RowError]) -> dict[int, Any]:
    """The original of each rejected row, by row number (only those: the others are never built)."""
    wanted = {error.row for error in errors}
    originals: dict[int, Any] = {number: original for number, _, _, original in chunk.broken}
    for index, number in enumerate(chunk.numbers):
        if number in wanted:
            originals[number] = chunk.originals[index] if chunk.originals is not None else chunk.row(index)
    return originals


_FIRST_ERRORS = 3


def _count(
    summary: ImportSummary, chunk: Chunk, inserted: int, duplicates: int, errors: list[RowError]
) -> None:
    summary.rows += len(chunk.numbers) + len(chunk.broken)
    summary.inserted += inserted
    summary.duplicates += duplicates
    summary.rejected += len({e.row for e in errors})
    summary.batches += 1
    summary.first_errors.extend(
        sorted(errors, key=lambda e: e.row)[: _FIRST_ERRORS - len(summary.first_errors)]
    )
    for error in errors:
        summary.errors_by_field[error.field] = summary.errors_by_field.get(error.field, 0) + 1
