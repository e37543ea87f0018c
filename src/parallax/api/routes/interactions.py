"""Ingest and list interactions."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from anyio import from_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, WithJsonSchema

from parallax.api.deps import CallerDep, SessionDep
from parallax.api.errors import KEYED, errors
from parallax.api.live import LIVE_PUBLISH_WAIT_S, publish_within, stream_payloads
from parallax.api.types import Cursor, SinceQuery, UntilQuery, UtcDatetime
from parallax.enrich.pii import redact
from parallax.ingest.service import MAX_BATCH, ingest_batch
from parallax.ingest.window import DateBounds
from parallax.kit.clock import utcnow
from parallax.kit.errors import ValidationFailed
from parallax.kit.settings import load_settings
from parallax.store.interactions import InteractionFilter, list_interactions
from parallax.store.models import Interaction

router = APIRouter(prefix="/v1/interactions", tags=["interactions"], responses=KEYED)


# Each row is an interaction object. Rows stay loose here (any JSON value) so that one bad row, even one
# that is not an object, is reported by its index in ``rejected`` instead of failing the whole batch.
_Row = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": True,
            "description": "One interaction (fields as in docs/ingest.md); a row that is not a JSON "
            "object or not a valid interaction is rejected alone, by its index.",
        }
    ),
]


class Batch(BaseModel):
    interactions: list[_Row] = Field(min_length=1)


class BatchReport(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]]
    ids: list[int]
    live_deferred: int = Field(
        0,
        description="Accepted rows the live detectors did not get because this workspace's live backlog "
        "stayed full (they are stored and scored by the batch enrichment).",
    )


@router.post("", response_model=BatchReport, responses=errors(400, 413))
def post_interactions(batch: Batch, caller: CallerDep, session: SessionDep, request: Request) -> BatchReport:
    """Ingest up to 1,000 interactions; idempotent on (source, external_id) within the workspace."""
    if len(batch.interactions) > MAX_BATCH:
        raise ValidationFailed(
            f"a batch holds at most {MAX_BATCH} interactions, got {len(batch.interactions)}"
        )
    window = _date_bounds(request).at(utcnow())
    outcome = ingest_batch(session, caller.workspace_id, batch.interactions, window=window)
    session.commit()  # acknowledged rows are durable before anyone downstream sees them
    bus, deferred = request.app.state.bus, 0
    if bus is not None and outcome.inserted_rows:
        payloads = stream_payloads(caller.workspace_id, outcome.inserted_rows)
        deferred = from_thread.run(publish_within, bus, payloads, LIVE_PUBLISH_WAIT_S)
    return BatchReport(
        accepted=outcome.inserted,
        duplicates=outcome.duplicates,
        rejected=[e.as_dict() for e in outcome.rejected],
        ids=outcome.inserted_ids,
        live_deferred=deferred,
    )


def _date_bounds(request: Request) -> DateBounds:
    """The accepted-timestamp bounds: the app's own where set (``app.state.date_bounds``), else settings'."""
    bounds = getattr(request.app.state, "date_bounds", None)
    return bounds if isinstance(bounds, DateBounds) else _settings_bounds()


@lru_cache(maxsize=1)
def _settings_bounds() -> DateBounds:
    settings = load_settings()  # PARALLAX_INGEST_EARLIEST, PARALLAX_INGEST_FUTURE_DAYS; read once
    return DateBounds(settings.ingest_earliest, settings.ingest_future_days)


class InteractionOut(BaseModel):
    id: int
    source: str
    external_id: str
    channel: str
    kind: str
    solicited: bool
    occurred_at: UtcDatetime
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
    since: SinceQuery = None,
    until: UntilQuery = None,
    segment_key: str | None = None,
    segment_value: str | None = None,
    cursor: Cursor | None = None,
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
