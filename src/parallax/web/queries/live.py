"""The live feed: interactions and alerts newer than a cursor, for the SSE stream and the first render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from parallax.store.models import Alert, Enrichment, Interaction

FEED_LIMIT = 50


@dataclass(frozen=True)
class FeedItem:
    id: int
    occurred_at: datetime
    channel: str
    kind: str
    solicited: bool
    text: str
    redacted_text: str | None
    sentiment: str | None
    category: str | None
    segments: dict[str, Any]


@dataclass(frozen=True)
class AlertItem:
    id: int
    title: str
    severity: str
    status: str
    rule: str
    key: str
    started_at: datetime
    last_seen_at: datetime
    count: int
    where: str  # the segment or topic the spike is about, from the alert's detail


def cursors(session: Session, workspace_id: str) -> tuple[int, int]:
    """The newest interaction and alert ids: a fresh stream starts after them."""
    last_i = session.scalar(select(func.max(Interaction.id)).where(Interaction.workspace_id == workspace_id))
    last_a = session.scalar(select(func.max(Alert.id)).where(Alert.workspace_id == workspace_id))
    return int(last_i or 0), int(last_a or 0)


def interactions_after(
    session: Session, workspace_id: str, after_id: int | None, limit: int = FEED_LIMIT
) -> list[FeedItem]:
    """Newest first; with ``after_id`` only rows inserted after it."""
    query = (
        select(Interaction, Enrichment.sentiment_label, Enrichment.category, Enrichment.redacted_text)
        .outerjoin(
            Enrichment, and_(Enrichment.interaction_id == Interaction.id, Enrichment.current.is_(True))
        )
        .where(Interaction.workspace_id == workspace_id, Interaction.direction == "inbound")
    )
    if after_id is not None:
        # New rows: a primary-key range, newest first.
        rows = session.execute(
            query.where(Interaction.id > after_id).order_by(Interaction.id.desc()).limit(limit)
        )
    else:
        # First render: the (workspace, occurred_at) index walked backwards, never a sort of the workspace.
        rows = session.execute(query.order_by(Interaction.occurred_at.desc()).limit(limit))
    return [
        FeedItem(
            i.id,
            i.occurred_at,
            i.channel,
            i.kind,
            i.solicited,
            i.text or "",
            red,
            label,
            cat,
            dict(i.segments),
        )
        for i, label, cat, red in rows.all()
    ]


def _where(alert: Alert) -> str:
    detail = alert.detail or {}
    latest = detail.get("latest", detail)
    parts = [f"{k}={v}" for k, v in (latest.get("segment") or {}).items()] if isinstance(latest, dict) else []
    topic = latest.get("topic") if isinstance(latest, dict) else None
    if topic:
        parts.insert(0, f"topic={topic}")
    return ", ".join(parts) or alert.key


def alerts_after(
    session: Session, workspace_id: str, after_id: int | None, limit: int = FEED_LIMIT
) -> list[AlertItem]:
    query = select(Alert).where(Alert.workspace_id == workspace_id)
    if after_id is not None:
        query = query.where(Alert.id > after_id)
    rows = session.scalars(query.order_by(Alert.id.desc()).limit(limit))
    return [
        AlertItem(
            a.id,
            a.title,
            a.severity,
            a.status,
            a.rule,
            a.key,
            a.started_at,
            a.last_seen_at,
            a.count,
            _where(a),
        )
        for a in rows
    ]
