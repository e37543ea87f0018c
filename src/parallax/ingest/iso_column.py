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

_DAY = r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_DATE = r"[1-9][0-9]{3}" + _DAY
# Up to year 9997 when there is an offset: 9999 with a negative one leaves the datetime range in UTC.
_AWARE_DATE = r"([1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-7])" + _DAY
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_AWARE = f"^{_AWARE_DATE}[T ]{_TIME}{_OFFSET}$"
_NAIVE = f"^{_DATE}[T ]{_TIME}$"
_UTC = pa.timestamp("us", tz="UTC")
_PLAIN = pa.timestamp("us")


def parse_iso_column(values: list[Any], unsure: set[int], cells: pa.Array | None = None) -> list[Any]:
    """Each cell as store text (naive UTC) where pyarrow read it, a datetime where Python did, or None.

    ``cells`` is the Arrow string array ``values`` came from (blank cells may be None in ``values``: the
    pattern never matches them, so they are read from ``values``). Without it every cell goes through
    Python: building an Arrow array from a list would make pyarrow import pandas, seconds on a cold start.
    """
    if cells is None or not pa.types.is_string(cells.type) or len(cells) != len(values):
        return _python(values, range(len(values)), [None] * len(values), unsure)
    # Only Arrow values in these calls: a Python scalar (None, a str) would make pyarrow import pandas.
    nulls = pa.nulls(len(cells), pa.string())
    aware = pc.if_else(pc.match_substring_regex(cells, _AWARE), cells, nulls)
    naive = pc.if_else(pc.match_substring_regex(cells, _NAIVE), cells, nulls)
    try:
        from_aware = pc.cast(aware, _UTC).cast(_PLAIN)
        from_naive = pc.cast(naive, _PLAIN)
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
