"""Typed factories for identity tests: interactions inserted through the store's own repository."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from parallax.ingest.record import InteractionIn
from parallax.store.interactions import insert_interactions

T0 = datetime(2026, 3, 1, 9, 0)


def interaction(external_id: str, hours: float = 0, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": "test",
        "external_id": external_id,
        "channel": "email",
        "kind": "message",
        "occurred_at": T0 + timedelta(hours=hours),
        "text": "my bag is lost",
    }
    values.update(fields)
    return InteractionIn(**values).model_dump()


def insert(session: Session, workspace: str, *rows: dict[str, Any]) -> list[int]:
    """Insert rows and return their ids in the order given."""
    result = insert_interactions(session, workspace, list(rows))
    assert result.inserted == len(rows)
    from sqlalchemy import select

    from parallax.store.models import Interaction

    by_ext = dict(
        session.execute(
            select(Interaction.external_id, Interaction.id).where(Interaction.workspace_id == workspace)
        ).all()
    )
    return [by_ext[row["external_id"]] for row in rows]
