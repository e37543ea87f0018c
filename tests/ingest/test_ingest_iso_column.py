"""pyarrow's timestamp cells must equal what fromisoformat, to_naive_utc and the store's text would give."""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

import pyarrow as pa

from parallax.ingest.iso_column import parse_iso_column
from parallax.kit.clock import to_naive_utc
from parallax.store.interactions import _JSON_ONE_SHOT, _JSON_TEXT


def _text(value: datetime) -> str | None:
    try:
        return to_naive_utc(value).isoformat(" ", "microseconds")
    except OverflowError:  # year 9999 with a negative offset: past the end of the datetime range in UTC
        return None


def _reference(cell: str | None) -> str | None:
    """The row path: fromisoformat on the stripped cell, naive UTC, SQLite's DATETIME text; None if bad."""
    if cell is None:
        return None
    try:
        return _text(datetime.fromisoformat(cell.strip()))
    except ValueError:
        return None


def _column(cells: list[str | None]) -> tuple[list[str | None], set[int]]:
    """The column path, with check_columns' conversion of the cells Python parsed (unsure when it fails)."""
    unsure: set[int] = set()
    out: list[Any] = parse_iso_column(cells, unsure, pa.array(cells, pa.string()))
    texts = [_text(v) if isinstance(v, datetime) else v for v in out]
    unsure.update(i for i, (v, t) in enumerate(zip(out, texts, strict=True)) if v is not None and t is None)
    return texts, unsure


EDGES = [
    "2026-01-05T10:00:00Z", "2026-01-05T10:00:00+05:30", "2026-01-05 10:00:00", "2026-01-05T10:00:00.1Z",
    "2026-01-05T10:00:00.123456-08:00", "2026-01-05T10:00:00.1234567Z", "2026-01-05", "2026-01-05T10:00",
    " 2026-01-05T10:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T23:60:00Z", "2026-01-05T10:00:60Z",
    "2026-00-05T10:00:00Z", "2026-01-32T10:00:00Z", "2026-01-05T10:00:00+24:00", "2026-01-05T10:00:00+0530",
    "0001-01-01T00:00:00Z", "0999-12-31T23:00:00-05:00", "1000-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00", "9997-12-31T23:59:59-05:00", "2026-01-05t10:00:00z",
    "2026-01-05T10:00:00Z ", "yesterday", "", "2024-02-29T12:00:00Z", None,
]  # fmt: skip


def test_every_edge_form_reads_as_the_row_path_reads_it() -> None:
    for cell in EDGES:
        texts, unsure = _column([cell, "2026-01-05T10:00:00Z"])
        if cell is not None and _reference(cell) is None:
            assert 0 in unsure, cell
        else:
            assert 0 not in unsure and texts[0] == _reference(cell), cell
        assert texts[1] == "2026-01-05 10:00:00.000000"


def test_an_impossible_date_sends_its_column_to_python_and_only_its_row_is_unsure() -> None:
    texts, unsure = _column(["2026-02-30T00:00:00Z", "2026-02-28T00:00:00+01:00", None])
    assert unsure == {0}
    assert texts[1:] == ["2026-02-27 23:00:00.000000", None]


def test_random_timestamps_agree_with_the_row_path() -> None:
    rng = random.Random(3)
    cells: list[str | None] = []
    for _ in range(2000):
        day = datetime(rng.randrange(1000, 9999), rng.randrange(1, 13), rng.randrange(1, 29))
        stamp = day.replace(
            hour=rng.randrange(24), minute=rng.randrange(60), microsecond=rng.randrange(10**6)
        )
        text = stamp.isoformat(sep=rng.choice("T "), timespec=rng.choice(["seconds", "milliseconds", "auto"]))
        offset = rng.choice(["", "Z", f"{rng.choice('+-')}{rng.randrange(24):02d}:{rng.randrange(60):02d}"])
        cells.append(rng.choice([text + offset, None]))
    texts, unsure = _column(cells)
    assert texts == [_reference(cell) for cell in cells]
    assert not unsure


def test_without_the_arrow_array_every_cell_goes_through_python() -> None:
    unsure: set[int] = set()
    out = parse_iso_column(["2026-01-05T10:00:00Z", "nope", None], unsure)
    assert out[0] == datetime.fromisoformat("2026-01-05T10:00:00Z") and out[2] is None
    assert unsure == {1}


def test_the_one_shot_json_encoder_writes_what_json_encoder_writes() -> None:
    values: list[Any] = [
        {},
        {"queue": "baggage", "agent": "agent-7"},
        {"é": 'ü😀\x1f"\\', "n": 1, "f": 1.5, "nan": float("nan"), "none": None, "t": True},
        {"nested": {"a": [1, "b", {"c": None}]}},
    ]
    for value in values:
        assert _JSON_ONE_SHOT(value) == _JSON_TEXT(value) == json.dumps(value)
