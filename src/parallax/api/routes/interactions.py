"""Ingest and list interactions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from anyio import from_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from parallax.api.deps import CallerDep, SessionDep
from parallax.api.live import stream_payloads
from parallax.enrich.pii import redact
from parallax.ingest.service import MAX_BATCH, ingest_batch
from parallax.kit.errors import ValidationFailed
from parallax.store.interactions import InteractionFilter, list_interactions
from parallax.store.models import Interaction

router = APIRouter(prefix="/v1/interactions", tags=["interactions"])


class Batch(BaseModel):
    # Rows stay loose here so one bad row is reported by number instead of failing the whole batch.
    interactions: list[dict[str, Any]] = Field(min_length=1)


class BatchReport(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]]
    ids: list[int]


@router.post("", response_model=BatchReport)
def post_interactions(batch: Batch, caller: CallerDep, session: SessionDep, request: Request) -> BatchReport:
    """Ingest up to 1,000 interactions; idempotent on (source, external_id) within the workspace."""
    if len(batch.interactions) > MAX_BATCH:
        raise ValidationFailed(
            f"a batch holds at most {MAX_BATCH} interactions, got {len(batch.interactions)}"
        )
    outcome = ingest_batch(session, caller.workspace_id, batch.interactions)
    session.commit()  # acknowledged rows are durable before anyone downstream sees them
    bus = request.app.state.bus
    if bus is not None and outcome.inserted_rows:
        from_thread.run(bus.publish_many, stream_payloads(caller.workspace_id, outcome.inserted_rows))
    return BatchReport(
        accepted=outcome.inserted,
        duplicates=outcome.duplicates,
        rejected=[e.as_dict() for e in outcome.rejected],
        ids=outcome.inserted_ids,
    )


class InteractionOut(BaseModel):
    id: int
    source: str
    external_id: str
    channel: str
    kind: str
    solicited: bool
    occurred_at: datetime
    text: str | None
    score_type: str | None
    score_value: float | None
    customer_id: int | None
    segments: dict[str, Any]


class InteractionPage(BaseModel):
    items: list[InteractionOut]
    next_cursor: int | None


@router.get("", response_model=InteractionPage)
def get_interactions(
    caller: CallerDep,
    session: SessionDep,
    channel: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    solicited: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    segment_key: str | None = None,
    segment_value: str | None = None,
    cursor: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> InteractionPage:
    """Newest first; pass ``next_cursor`` back as ``cursor`` for the next page."""
    filters = InteractionFilter(
        channel=channel,
        kind=kind,
        source=source,
        solicited=solicited,
        since=since,
        until=until,
        segment_key=segment_key,
        segment_value=segment_value,
    )
    rows = list_interactions(session, caller.workspace_id, filters, cursor, limit)
    next_cursor = rows[-1].id if len(rows) == limit else None
    return InteractionPage(items=[_out(r) for r in rows], next_cursor=next_cursor)


def _out(row: Interaction) -> InteractionOut:
    # The API never echoes personal data: text is redacted and author identifiers are not returned.
    return InteractionOut(
        id=row.id,
        source=row.source,
        external_id=row.external_id,
        channel=row.channel,
        kind=row.kind,
        solicited=row.solicited,
        occurred_at=row.occurred_at,
        text=None if row.text is None else redact(row.text),
        score_type=row.score_type,
        score_value=row.score_value,
        customer_id=row.customer_id,
        segments=row.segments,
    )
