"""Arrow columns built from integer codes, so million-row exports never loop in Python.

Most export columns are categories (route, cabin, tier, flight, date) or ids with a counter: both are made
by ``take`` over a small dictionary, in C++. Timestamps are minute-resolution in the big files, so there are
few distinct values to format.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

Table = dict[str, pa.Array]


def categorical(codes: np.ndarray, names: Sequence[str] | np.ndarray) -> pa.Array:
    """``names[codes]`` as an Arrow string column."""
    return pc.take(pa.array(list(names), type=pa.string()), pa.array(np.asarray(codes, dtype=np.int64)))


def strings(values: Sequence[str] | np.ndarray) -> pa.Array:
    return pa.array(list(values) if not isinstance(values, np.ndarray) else values.tolist(), type=pa.string())


def counter_ids(prefix: str, numbers: np.ndarray, width: int, suffix: pa.Array | str = "") -> pa.Array:
    """``f"{prefix}{n:0{width}d}{suffix}"`` for every n, e.g. TR00000042."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, suffix, "")


def iso_minutes(start: datetime, hours: np.ndarray) -> pa.Array:
    """ISO-8601 UTC ('Z') to the minute; NaN hours become nulls (written as empty cells)."""
    missing = np.isnan(hours)
    minutes = np.round(np.where(missing, 0.0, hours) * 60.0).astype(np.int64)
    unique, inverse = np.unique(minutes, return_inverse=True)
    base = np.datetime64(start.replace(tzinfo=None), "m")
    text = np.char.add(np.datetime_as_string(base + unique.astype("timedelta64[m]"), unit="s"), "Z")
    column = categorical(inverse.ravel(), text.tolist())
    return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), column) if missing.any() else column


def dates(start: datetime, hours: np.ndarray) -> pa.Array:
    days = np.floor(hours / 24.0).astype(np.int64)
    low = int(days.min()) if days.size else 0
    span = np.arange(low, (int(days.max()) + 1) if days.size else 1)
    text = np.datetime_as_string(np.datetime64(start.replace(tzinfo=None), "D") + span, unit="D")
    return categorical(days - low, text.tolist())


def nullable_ints(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=np.asarray(missing, dtype=bool))


def write_csv(path: Path, table: Table) -> int:
    """Write with Arrow's CSV writer: every string quoted, empty cells for nulls, 'true'/'false' for flags."""
    arrow = pa.table(table)
    pacsv.write_csv(arrow, path, pacsv.WriteOptions(quoting_style="needed"))
    return arrow.num_rows
