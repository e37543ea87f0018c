"""The interactions behind a number: the same filters the aggregates use, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from parallax.store.models import Enrichment, Interaction, InteractionSegment
from parallax.web.queries.gap import survey_answer

Ix, E = Interaction, Enrichment
MAX_ROWS = 200


@dataclass(frozen=True)
class DrillFilter:
    """``side`` is inside (surveys with a score) or outside (organic inbound); ``tone`` narrows it."""

    side: str | None = None  # inside | outside
    tone: str | None = None  # favourable | unfavourable | positive | negative | neutral
    start: datetime | None = None
    end: datetime | None = None
    segment_key: str | None = None
    segment_value: str | None = None
    customer_id: int | None = None


@dataclass(frozen=True)
class DrillRow:
    id: int
    occurred_at: datetime
    channel: str
    kind: str
    solicited: bool
    score_type: str | None
    score_value: float | None
    sentiment: str | None
    category: str | None
    text: str
    redacted_text: str | None
    customer_id: int | None


def drill(session: Session, workspace_id: str, f: DrillFilter, limit: int = MAX_ROWS) -> list[DrillRow]:
    query = (
        select(Ix, E.sentiment_label, E.category, E.redacted_text)
        .outerjoin(E, and_(E.interaction_id == Ix.id, E.current.is_(True)))
        .where(Ix.workspace_id == workspace_id)
    )
    if f.start is not None:
        query = query.where(Ix.occurred_at >= f.start)
    if f.end is not None:
        query = query.where(Ix.occurred_at < f.end)
    if f.customer_id is not None:
        query = query.where(Ix.customer_id == f.customer_id)
    if f.segment_key:
        query = query.join(
            InteractionSegment,
            and_(InteractionSegment.interaction_id == Ix.id, InteractionSegment.key == f.segment_key),
        )
        if f.segment_value is not None:
            query = query.where(InteractionSegment.value == f.segment_value)
    query = _side(query, f, workspace_id)
    rows = session.execute(query.order_by(Ix.occurred_at.desc(), Ix.id.desc()).limit(limit)).all()
    return [
        DrillRow(
            i.id,
            i.occurred_at,
            i.channel,
            i.kind,
            i.solicited,
            i.score_type,
            i.score_value,
            label,
            category,
            i.text or "",
            redacted,
            i.customer_id,
        )
        for i, label, category, redacted in rows
    ]


def _side(query, f: DrillFilter, workspace_id: str):  # type: ignore[no-untyped-def]
    if f.side == "inside":
        query = query.where(survey_answer(workspace_id))
        favourable = (
            ((Ix.score_type == "csat") & (Ix.score_value >= 4))
            | ((Ix.score_type == "nps") & (Ix.score_value >= 9))
            | ((Ix.score_type == "stars") & (Ix.score_value >= 4))
        )
        if f.tone == "favourable":
            query = query.where(favourable)
        elif f.tone == "unfavourable":
            query = query.where(~favourable)
    elif f.side == "outside":
        query = query.where(Ix.solicited.is_(False), Ix.direction == "inbound")
        if f.tone in ("positive", "negative", "neutral"):
            query = query.where(E.sentiment_label == f.tone)
    return query
