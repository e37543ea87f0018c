"""Named per-workspace settings (``workspace_setting``): read and upsert JSON values that callers validate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.store.models import WorkspaceSetting


def get_setting(session: Session, workspace_id: str, name: str) -> dict[str, Any] | None:
    row = session.get(WorkspaceSetting, (workspace_id, name))
    return None if row is None else dict(row.value)


def put_setting(session: Session, workspace_id: str, name: str, value: dict[str, Any], actor: str) -> None:
    """Insert or replace; records who changed it and when. Does not commit."""
    row = session.get(WorkspaceSetting, (workspace_id, name))
    if row is None:
        row = WorkspaceSetting(workspace_id=workspace_id, name=name)
        session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by = actor
    session.flush()


def settings_named(session: Session, name: str) -> dict[str, dict[str, Any]]:
    """Every workspace's value of setting ``name``."""
    rows = session.scalars(select(WorkspaceSetting).where(WorkspaceSetting.name == name))
    return {row.workspace_id: dict(row.value) for row in rows}
