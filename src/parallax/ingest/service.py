"""Ingest service: validate a batch, insert the good rows idempotently, report the bad ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from parallax.ingest.validate import RowError, not_an_object, validate_rows
from parallax.ingest.window import DateWindow
from parallax.store.interactions import insert_interactions

MAX_BATCH = 1000


@dataclass
class BatchOutcome:
    inserted: int = 0
    duplicates: int = 0
    rejected: list[RowError] = field(default_factory=list)
    inserted_ids: list[int] = field(default_factory=list)
    inserted_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.rejected})


def ingest_batch(
    session: Session,
    workspace_id: str,
    rows: Sequence[Any],
    first_row: int = 0,
    window: DateWindow | None = None,
) -> BatchOutcome:
    """Validate and insert one batch; the caller commits (that commit is the acknowledgement).

    Each row is judged alone: one that is not a JSON object, not a valid interaction, or dated outside
    ``window`` is rejected by its number, and the others go on."""
    objects: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=first_row):
        if isinstance(row, dict):
            objects.append((number, row))
        else:
            errors.append(RowError(number, "(row)", not_an_object(row)))
    good, invalid = validate_rows(objects, window)
    errors = sorted([*errors, *invalid], key=lambda error: error.row)
    result = insert_interactions(session, workspace_id, good)
    new_rows = [row for row in good if (row["source"], row["external_id"]) in result.inserted_keys]
    return BatchOutcome(result.inserted, result.duplicates, errors, list(result.inserted_ids), new_rows)
