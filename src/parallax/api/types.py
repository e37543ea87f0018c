"""Datetimes at the API boundary: the store keeps naive UTC, the API speaks ISO 8601 with an offset.

``UtcDatetime`` is the type of every datetime a response carries: a naive value is UTC and goes out as
``2026-03-02T09:00:00Z``. ``QueryDatetime`` is the type of every datetime a query parameter takes: an ISO
8601 date (``2026-03-02``, midnight) or date-time (``2026-03-02T09:00:00``, ``...Z``, ``...+01:00``); no
offset means UTC. Numbers are refused (``?until=0.5`` is not a date), and the value reaches the services
as naive UTC, like the store's columns.

Example:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(UtcDatetime).dump_json(datetime(2026, 3, 2, 9))
    b'"2026-03-02T09:00:00Z"'
    >>> TypeAdapter(QueryDatetime).validate_python("2026-03-02T10:00:00+01:00")
    datetime.datetime(2026, 3, 2, 9, 0)
    >>> try:
    ...     TypeAdapter(QueryDatetime).validate_python("0.5")
    ... except ValueError:
    ...     print("refused")
    refused
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from annotated_types import Ge, Le
from fastapi import Query
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|[Tt ])")
QUERY_DATETIME_HELP = (
    "ISO 8601 date (2026-03-02) or date-time (2026-03-02T09:00:00Z, 2026-03-02T10:00:00+01:00); "
    "without an offset the time is UTC."
)


def as_utc(value: datetime) -> datetime:
    """The same instant with an explicit UTC offset (a naive value is UTC already)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_START.match(value.strip()):
        raise ValueError(
            f"expected an ISO 8601 date or date-time such as 2026-03-02T09:00:00Z, got {value!r}"
        )
    return value.strip()


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError("the date-time is out of range once moved to UTC") from None


UtcDatetime = Annotated[datetime, AfterValidator(as_utc), PlainSerializer(as_utc, return_type=datetime)]
QueryDatetime = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_naive_utc),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
            "description": QUERY_DATETIME_HELP,
        }
    ),
]
SinceQuery = Annotated[QueryDatetime | None, Query(description=f"From (inclusive). {QUERY_DATETIME_HELP}")]
UntilQuery = Annotated[QueryDatetime | None, Query(description=f"Until (exclusive). {QUERY_DATETIME_HELP}")]


# A row id as the store can hold it (a 64-bit signed integer): a larger number in a path, query or body is a
# 422, not an overflow inside the database driver.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Ge(1), Le(MAX_ROW_ID)]
Cursor = Annotated[int, Ge(0), Le(MAX_ROW_ID)]
