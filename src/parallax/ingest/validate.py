"""Per-row validation: every bad row is reported with its number, field and reason; good rows go on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from parallax.ingest.fastpath import accept
from parallax.ingest.record import InteractionIn


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


def validate_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Validate numbered rows; return the good ones as store-ready dicts and one error per bad field."""
    good: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for number, row in rows:
        fast = accept(row)
        if fast is not None:
            good.append(fast)
            continue
        try:
            good.append(InteractionIn.model_validate(row).model_dump())
        except ValidationError as exc:
            errors.extend(_row_errors(number, exc))
    return good, errors


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
