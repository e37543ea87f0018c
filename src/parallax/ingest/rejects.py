"""The rejects file: every rejected row, why, and the row itself, so it can be fixed and imported again.

One CSV line per rejected row: ``row``, ``field``, ``reason`` (several problems joined with `` | ``), then
the original columns (CSV and Parquet inputs) or the original JSON line (``original``, JSONL inputs).
The file is created on the first rejected row and flushed after every batch, so a crash keeps it.
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from parallax.ingest.validate import RowError


def default_rejects_path(source: Path) -> Path:
    """Next to the input (``tickets.rejects.csv``), or in the working folder when that one is read-only."""
    beside = source.with_name(f"{source.stem}.rejects.csv")
    if os.access(source.parent, os.W_OK):
        return beside
    return Path.cwd() / beside.name


class RejectsWriter:
    """Writes rejected rows lazily; ``count`` is the number of rows written."""

    def __init__(self, path: Path, columns: list[str] | None) -> None:
        self.path = path
        self.columns = columns
        self.count = 0
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def write(self, errors: list[RowError], originals: dict[int, Any]) -> None:
        """``originals`` maps a row number to its original dict (or JSON line)."""
        by_row: dict[int, list[RowError]] = defaultdict(list)
        for error in errors:
            by_row[error.row].append(error)
        for number in sorted(by_row):
            found = by_row[number]
            fields = " | ".join(e.field for e in found)
            reasons = " | ".join(e.reason for e in found)
            self._ensure_open().writerow([number, fields, reasons, *self._cells(originals.get(number))])
            self.count += 1
        if self._handle is not None:
            self._handle.flush()

    def _cells(self, original: Any) -> list[str]:
        if self.columns is None:
            return [original if isinstance(original, str) else json.dumps(original, default=str)]
        if isinstance(original, list):  # a CSV record of the wrong width, kept cell for cell
            return [str(cell) for cell in original]
        if not isinstance(original, dict):
            return [""] * len(self.columns)
        return ["" if original.get(c) is None else str(original[c]) for c in self.columns]

    def _ensure_open(self) -> Any:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row", "field", "reason", *(self.columns or ["original"])])
        return self._writer

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
