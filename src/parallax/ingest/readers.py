"""Streaming readers: a file becomes chunks of numbered rows, never one list of the whole file.

Row numbers are what a person finds in the file: for CSV the spreadsheet row (the header is row 1, so the
first record is row 2; it equals the line number unless a value spans lines), for JSONL the line number,
for Parquet the record number counted from 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from parallax.ingest.validate import not_an_object
from parallax.kit.errors import ValidationFailed

FORMATS = ("csv", "jsonl", "parquet")
BLOCK_BYTES = 1 << 22  # pyarrow CSV block: memory per step vs calls per row
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


@dataclass(frozen=True)
class Chunk:
    """Rows with their numbers; ``broken`` holds records that could not even be parsed, as
    (number, field, reason, original): a JSONL line that is not an object, a CSV record of the wrong width.

    CSV chunks read by pyarrow come as ``columns`` (one list of cells a column, ``records`` None): the
    importer maps those a column at a time, and ``rows`` builds the row dicts only when asked."""

    numbers: list[int]
    records: list[dict[str, Any]] | None
    position: int
    broken: list[tuple[int, str, str, Any]]
    originals: list[str] | None = None
    columns: dict[str, list[Any]] | None = None
    arrays: dict[str, pa.Array] | None = None

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        if self.records is not None:
            return self.records
        columns = self.columns or {}
        names = list(columns)
        return [dict(zip(names, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]

    def row(self, index: int) -> dict[str, Any]:
        """The row at ``index`` (not its number), without building the others."""
        if self.records is not None:
            return self.records[index]
        return {name: cells[index] for name, cells in (self.columns or {}).items()}


def infer_format(path: Path, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise ValidationFailed(f"unknown format {given!r}; one of {', '.join(FORMATS)}")
        return given
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ValidationFailed(f"cannot tell the format of {path.name}; pass --format ({', '.join(FORMATS)})")
    return found


def read_chunks(path: Path, fmt: str, size: int) -> Iterator[Chunk]:
    """Chunks of at most ``size`` rows; ``position`` counts bytes (rows for Parquet) for progress."""
    if fmt == "csv":
        return _csv_chunks(path, size)
    if fmt == "jsonl":
        return _jsonl_chunks(path, size)
    return _parquet_chunks(path, size)


def progress_total(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        return int(_parquet_file(path).metadata.num_rows)
    return path.stat().st_size


def _parquet_file(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except pa.ArrowException as exc:
        raise ValidationFailed(f"{path.name} is not a readable Parquet file: {exc}") from None


def csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise ValidationFailed(f"{path.name} is empty: a CSV needs a header row")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise ValidationFailed(f"{path.name} repeats column(s) {', '.join(duplicated)}")
    return header


def _csv_chunks(path: Path, size: int) -> Iterator[Chunk]:
    """pyarrow's fast reader; from the first malformed record on, Python's csv module (see _csv_fallback)."""
    header = csv_header(path)
    # Every column is read as text: ids such as 18-digit tweet ids must never pass through a number.
    convert = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in header}, strings_can_be_null=True
    )
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    read = pa_csv.ReadOptions(column_names=header, skip_rows=1, block_size=BLOCK_BYTES)
    source = pa.OSFile(str(path), "rb")
    done = 0
    try:
        reader = pa_csv.open_csv(source, read_options=read, parse_options=parse, convert_options=convert)
        for columns, arrays, count in _column_batches(reader, size):
            numbers = list(range(done + 2, done + 2 + count))
            yield Chunk(numbers, None, source.tell(), [], columns=columns, arrays=arrays)
            done += count
        return
    except pa.ArrowInvalid:
        pass  # a record with the wrong number of cells: exact row numbers need the slower reader
    finally:
        source.close()
    yield from _csv_fallback(path, header, size, skip=done)


def _csv_fallback(path: Path, header: list[str], size: int, skip: int) -> Iterator[Chunk]:
    """Python's csv reader from record ``skip`` on: malformed records become rejects with their row."""
    numbers: list[int] = []
    rows: list[dict[str, Any]] = []
    broken: list[tuple[int, str, str, Any]] = []
    with (
        path.open("rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as handle,
    ):
        records = csv.reader(handle)
        next(records, None)
        for index, record in enumerate(records):
            if index < skip:
                continue
            number = index + 2
            if len(record) != len(header):
                reason = f"expected {len(header)} cells, found {len(record)}"
                broken.append((number, "(row)", reason, record))
            else:
                numbers.append(number)
                rows.append({k: (v if v != "" else None) for k, v in zip(header, record, strict=True)})
            if len(rows) + len(broken) >= size:
                yield Chunk(numbers, rows, raw.tell(), broken)
                numbers, rows, broken = [], [], []
        if rows or broken:
            yield Chunk(numbers, rows, raw.tell(), broken)


def _batch_rows(batch: pa.RecordBatch) -> list[dict[str, Any]]:
    names = batch.schema.names
    columns = [column.to_pylist() for column in batch.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _column_batches(
    batches: Iterator[pa.RecordBatch], size: int
) -> Iterator[tuple[dict[str, list[Any]], dict[str, pa.Array], int]]:
    """pyarrow's blocks (4 MB each) cut into ``size`` rows: cells as one list a column, and the arrays."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        pending.append(batch)
        held += batch.num_rows
        while held >= size:
            table = pa.Table.from_batches(pending)
            yield (*_columns(table.slice(0, size)), size)
            rest = table.slice(size)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield (*_columns(pa.Table.from_batches(pending)), held)


def _columns(table: pa.Table) -> tuple[dict[str, list[Any]], dict[str, pa.Array]]:
    arrays = {
        name: column.combine_chunks() for name, column in zip(table.column_names, table.columns, strict=True)
    }
    return {name: array.to_pylist() for name, array in arrays.items()}, arrays


def _parquet_chunks(path: Path, size: int) -> Iterator[Chunk]:
    number, done = 1, 0
    for batch in _parquet_file(path).iter_batches(batch_size=size):
        rows = _batch_rows(batch)
        done += len(rows)
        yield Chunk(list(range(number, number + len(rows))), rows, done, [])
        number += len(rows)


def _jsonl_chunks(path: Path, size: int) -> Iterator[Chunk]:
    numbers: list[int] = []
    rows: list[dict[str, Any]] = []
    originals: list[str] = []
    broken: list[tuple[int, str, str, Any]] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            # The importer hands over valid UTF-8 (encoding.py); a byte-order mark may open line 1.
            text = line.decode("utf-8", errors="replace").removeprefix("\ufeff").strip()
            if not text:
                continue
            parsed = _json_row(text)
            if isinstance(parsed, str):
                broken.append((number, "(line)", parsed, text))
            else:
                numbers.append(number)
                rows.append(parsed)
                originals.append(text)
            if len(rows) + len(broken) >= size:
                yield Chunk(numbers, rows, handle.tell(), broken, originals)
                numbers, rows, originals, broken = [], [], [], []
        if rows or broken:
            yield Chunk(numbers, rows, handle.tell(), broken, originals)


def _json_row(text: str) -> dict[str, Any] | str:
    """The object on one line, or the reason it is not one."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(value, dict):
        return not_an_object(value)
    return value
