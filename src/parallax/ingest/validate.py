"""Per-row validation: every bad row is reported with its number, field and reason; good rows go on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from parallax.ingest.fastpath import accept
from parallax.ingest.record import InteractionIn
from parallax.ingest.window import DateWindow


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


def validate_rows(
    rows: Iterable[tuple[int, dict[str, Any]]], window: DateWindow | None = None
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Validate numbered rows; return the good ones as store-ready dicts and one error per bad field.

    With a ``window``, a row with a timestamp outside it is rejected too (window.py)."""
    good: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for number, row in rows:
        record = accept(row)
        if record is None:
            try:
                record = InteractionIn.model_validate(row).model_dump()
            except ValidationError as exc:
                errors.extend(_row_errors(number, exc))
                continue
        outside = window.row_errors(record) if window is not None else None
        if outside:
            errors.extend(RowError(number, field, reason) for field, reason in outside)
        else:
            good.append(record)
    return good, errors


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false"}


def not_an_object(value: Any) -> str:
    """The reason for a row (an HTTP batch item, a JSONL line) that is JSON but not a JSON object."""
    kind = "null" if value is None else _JSON_KINDS.get(type(value), type(value).__name__)
    return f"not a JSON object: {kind}"


# Checks that span fields run on the whole model, so pydantic reports them without a field; these name
# the field a person would fix.
_CROSS_FIELD_RULES = (
    ("must be between", "score_value"),
    ("go together", "score_value"),
    ("unknown score_type", "score_type"),
    ("closed_at is before", "closed_at"),
)


def _row_errors(number: int, exc: ValidationError) -> list[RowError]:
    found = []
    for err in exc.errors():
        reason = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        field = ".".join(str(part) for part in err.get("loc", ())) or _cross_field(reason)
        found.append(RowError(number, field, reason))
    return found


def _cross_field(reason: str) -> str:
    return next((field for marker, field in _CROSS_FIELD_RULES if marker in reason), "(row)")
