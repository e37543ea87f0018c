"""ISO timestamps a column at a time: pyarrow reads the cells in the usual form, Python the others.

In Python a timestamp cell cost ``fromisoformat``, a conversion to naive UTC and, in the store, an
``isoformat`` back to SQLite's DATETIME text: microseconds a cell, three cells a ticket. pyarrow parses
a whole column in C++ and prints it straight to that text (``YYYY-MM-DD HH:MM:SS.ffffff``, naive UTC,
what ``datetime.isoformat(" ", "microseconds")`` writes). Its parser is not Python's, so it only gets cells
in one strict form that both read alike: a four-digit year from 1000, ``T`` or a space, seconds, up to six
fraction digits, then nothing, ``Z`` or ``±HH:MM``, each field's range checked by the pattern. Every other
cell, and a whole column whose cast fails (a 30 February), goes through ``fromisoformat`` and stays a
datetime; a cell that does not parse there marks its row unsure, as in the row getter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

_DATE = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_AWARE = f"^{_DATE}[T ]{_TIME}{_OFFSET}$"
_NAIVE = f"^{_DATE}[T ]{_TIME}$"
_UTC = pa.timestamp("us", tz="UTC")
_PLAIN = pa.timestamp("us")
# Text below this is a year up to 9997: year 9999 with a negative offset leaves the datetime range in UTC.
_YEAR_BOUND = "9998"


def parse_iso_column(values: list[Any], unsure: set[int]) -> list[Any]:
    """Each cell as store text (naive UTC) where pyarrow read it, a datetime where Python did, or None."""
    try:
        cells = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _python(values, range(len(values)), [None] * len(values), unsure)
    aware = pc.and_(pc.match_substring_regex(cells, _AWARE), pc.less(cells, _YEAR_BOUND))
    naive = pc.match_substring_regex(cells, _NAIVE)
    try:
        from_aware = pc.cast(pc.if_else(aware, cells, None), _UTC).cast(_PLAIN)
        from_naive = pc.cast(pc.if_else(naive, cells, None), _PLAIN)
    except pa.ArrowInvalid:
        return _python(values, range(len(values)), [None] * len(values), unsure)
    out: list[Any] = pc.coalesce(from_aware, from_naive).cast(pa.string()).to_pylist()
    if out.count(None) == values.count(None):
        return out
    pairs = enumerate(zip(values, out, strict=True))
    return _python(values, [i for i, (cell, text) in pairs if text is None and cell is not None], out, unsure)


def _python(values: list[Any], indexes: Any, out: list[Any], unsure: set[int]) -> list[Any]:
    parse = datetime.fromisoformat
    for index in indexes:
        value = values[index]
        if value is None or type(value) is datetime:
            out[index] = value
            continue
        try:
            out[index] = parse(value.strip())
        except (ValueError, TypeError, AttributeError):
            out[index] = None
            unsure.add(index)
    return out
