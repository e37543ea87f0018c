"""``json_objects`` writes, row for row, the text ``json.JSONEncoder().encode`` writes for the row's dict."""

from __future__ import annotations

import json
import random

from parallax.ingest.json_cells import all_text, json_objects

ODD = ["plain", 'with "quotes"', "back\\slash", "100%", "%s", "tab\there", "new\nline", "ünïcode ✈", "😀"]
ODD += ["\x00", "%(key)s", "%%"]


def _reference(columns: list[tuple[str, list[str | None]]], count: int) -> list[str]:
    rows = [{key: cells[i] for key, cells in columns if cells[i] is not None} for i in range(count)]
    return [json.JSONEncoder().encode(row) for row in rows]


def test_full_columns_take_the_template_and_match_the_encoder() -> None:
    columns: list[tuple[str, list[str | None]]] = [
        ("queue", ["baggage", "refunds", "ünï"]),
        ("100% key", ['"q"', "%d", "x"]),
        ("ünï", ["a", "b", "c"]),
    ]
    assert json_objects(columns, 3) == _reference(columns, 3)


def test_absent_cells_leave_their_key_out() -> None:
    columns: list[tuple[str, list[str | None]]] = [("a", ["1", None, None]), ("b", [None, "2", None])]
    assert json_objects(columns, 3) == ['{"a": "1"}', '{"b": "2"}', "{}"]


def test_no_columns_give_empty_objects() -> None:
    assert json_objects([], 2) == ["{}", "{}"]


def test_random_columns_match_the_encoder() -> None:
    rng = random.Random(11)
    for _ in range(200):
        count = rng.randrange(1, 8)
        keys = rng.sample(ODD, rng.randrange(0, 5))
        columns = [(key, [rng.choice([*ODD, None]) for _ in range(count)]) for key in keys]
        assert json_objects(columns, count) == _reference(columns, count)
        assert [json.loads(text) for text in json_objects(columns, count)] == [
            json.loads(text) for text in _reference(columns, count)
        ]


def test_all_text_refuses_other_cells() -> None:
    assert all_text(["a", None]) and all_text([])
    assert not all_text(["a", 1]) and not all_text([1.5])
