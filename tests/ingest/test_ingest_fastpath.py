"""The fast path must accept only what pydantic accepts, and produce exactly what pydantic produces."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import ValidationError

from parallax.ingest.fastpath import accept
from parallax.ingest.record import InteractionIn
from parallax.ingest.validate import validate_rows

BASE: dict[str, Any] = {
    "source": "s",
    "external_id": "1",
    "channel": "email",
    "kind": "ticket",
    "occurred_at": datetime(2026, 1, 1, 12, 0),
    "text": "hello",
    "score_type": "csat",
    "score_value": 4.0,
    "segments": {"route": "JFK-LAX"},
    "raw": {"agent": "bob"},
}

VARIANTS: list[dict[str, Any]] = [
    {},
    {"channel": " Twitter ", "kind": "POST"},
    {"kind": "survey_response", "channel": "survey"},
    {"kind": "survey_invite", "channel": "survey", "score_type": None, "score_value": None},
    {"solicited": True},
    {"solicited": "yes"},
    {"occurred_at": "2026-01-01T12:00:00Z"},
    {"occurred_at": "2026-01-01T12:00:00+02:00"},
    {"occurred_at": datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=-8)))},
    {"occurred_at": "not a time"},
    {"occurred_at": None},
    {"closed_at": datetime(2025, 12, 31)},
    {"closed_at": datetime(2026, 1, 2, tzinfo=UTC)},
    {"score_value": 6.0},
    {"score_value": 5},
    {"score_value": "4"},
    {"score_value": float("nan")},
    {"score_type": "NPS", "score_value": 10},
    {"score_type": "stars", "score_value": None},
    {"score_type": None, "score_value": 3.0},
    {"score_type": "vibes"},
    {"external_id": ""},
    {"external_id": "   "},
    {"external_id": "x" * 201},
    {"external_id": 12},
    {"text": "  padded  "},
    {"direction": "outbound"},
    {"direction": "sideways"},
    {"channel": "fax"},
    {"kind": "rumour"},
    {"segments": {"route": 12, "empty": "", "none": None}},
    {"segments": {"route": "  JFK "}},
    {"segments": None},
    {"segments": "route=JFK"},
    {"raw": {"nested": {"a": [1, 2]}}},
    {"unknown_field": 1},
    {"author_email": "a@example.com", "author_phone": "+15550100", "ticket_id": "T1", "status": "solved"},
]


def _pydantic(row: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return InteractionIn.model_validate(row).model_dump()
    except ValidationError:
        return None


def test_fast_path_agrees_with_pydantic_on_every_variant() -> None:
    for change in VARIANTS:
        row = {**BASE, **change}
        fast, slow = accept(row), _pydantic(row)
        if fast is not None:
            assert fast == slow, change
        assert validate_rows([(1, row)])[0] == ([] if slow is None else [slow]), change


def test_fast_path_agrees_on_random_combinations() -> None:
    rng = random.Random(7)
    for _ in range(400):
        row = dict(BASE)
        for change in rng.sample(VARIANTS, 3):
            row.update(change)
        fast, slow = accept(row), _pydantic(row)
        if fast is not None:
            assert fast == slow, row


def test_fast_path_takes_the_common_clean_row() -> None:
    assert accept(dict(BASE)) == _pydantic(dict(BASE))
