"""JSON object texts built a column at a time, for the segments and raw maps of a CSV batch.

The column path used to build a dict a row for each map, then the store encoded each dict: two Python
loops over every cell of every row, about a tenth of the import's CPU. When every cell is text (or
absent), the text ``json.dumps`` would write can be assembled from the columns instead: each cell escaped
by the encoder's own C function, then one ``%`` format a row. The result is byte for byte what
``json.JSONEncoder().encode`` writes for the dict (``ensure_ascii``, ``", "`` and ``": "``), which
``tests/ingest/test_ingest_json_cells.py`` checks against the encoder itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring_ascii
from typing import cast

# (key, cells): a cell is text, or None for a key the row leaves out.
Column = tuple[str, Sequence[str | None]]


def json_objects(columns: Sequence[Column], count: int) -> list[str]:
    """One JSON object text a row: each column's key with the row's cell, in column order, None left out."""
    if not columns:
        return ["{}"] * count
    keys = [encode_basestring_ascii(key) for key, _ in columns]
    cells = [_encoded(values) for _, values in columns]
    if not any(None in column for column in cells):
        template = "{" + ", ".join(f"{key.replace('%', '%%')}: %s" for key in keys) + "}"
        return [template % row for row in zip(*cells, strict=True)]
    rows = (zip(keys, row, strict=True) for row in zip(*cells, strict=True))
    return ["{" + ", ".join(f"{key}: {cell}" for key, cell in row if cell is not None) + "}" for row in rows]


def all_text(values: Sequence[object]) -> bool:
    """Whether every cell is text or None: the only cells ``json_objects`` takes."""
    return {type(value) for value in values} <= _TEXT_TYPES


def _encoded(values: Sequence[str | None]) -> list[str | None]:
    if None not in values:
        return list(map(encode_basestring_ascii, cast(Sequence[str], values)))
    return [None if value is None else encode_basestring_ascii(value) for value in values]


_TEXT_TYPES = frozenset({str, type(None)})
