"""Settings reads and the few writes the web app owns: API keys (list, revoke), workspace name."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from parallax.kit.errors import Conflict, NotFound, ValidationFailed
from parallax.store.models import Alert, ApiKey, Enrichment, Workspace


def api_keys(session: Session, workspace_id: str) -> list[ApiKey]:
    return list(
        session.scalars(select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.id))
    )


def revoke_key(session: Session, workspace_id: str, key_id: int, now: datetime) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.workspace_id != workspace_id:
        raise NotFound(f"no API key {key_id}")
    if key.revoked_at is not None:
        raise Conflict("this key is already revoked")
    key.revoked_at = now
    return key


def workspace(session: Session, workspace_id: str) -> Workspace:
    found = session.get(Workspace, workspace_id)
    if found is None:
        raise NotFound(f"no workspace {workspace_id}")
    return found


def rename_workspace(session: Session, workspace_id: str, name: str) -> Workspace:
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("a workspace name holds 1 to 200 characters")
    found = workspace(session, workspace_id)
    found.name = name
    return found


TAXONOMY_SAMPLE = 5_000


def taxonomy(session: Session, workspace_id: str, limit: int = 60) -> list[tuple[str, int]]:
    """Complaint categories in use among the latest TAXONOMY_SAMPLE enrichments.

    Only a primary-key range is read (workspace and current are checked in Python): a workspace predicate in
    SQL sends SQLite down the (workspace, current) index across every enrichment ever made.
    """
    top = session.scalar(select(func.max(Enrichment.id))) or 0
    query = select(Enrichment.workspace_id, Enrichment.current, Enrichment.category).where(
        Enrichment.id > top - TAXONOMY_SAMPLE
    )
    counts = Counter(
        str(category)
        for ws, current, category in session.execute(query)
        if ws == workspace_id and current and category is not None
    )
    return counts.most_common(limit)


def alert_rules_seen(session: Session, workspace_id: str) -> list[tuple[str, int, int]]:
    """(rule, alerts raised, still open) per rule that has fired in this workspace."""
    open_count = func.sum(case((Alert.status != "resolved", 1), else_=0))
    query = (
        select(Alert.rule, func.count(), open_count)
        .where(Alert.workspace_id == workspace_id)
        .group_by(Alert.rule)
        .order_by(Alert.rule)
    )
    return [(str(r), int(n), int(o or 0)) for r, n, o in session.execute(query).all()]
