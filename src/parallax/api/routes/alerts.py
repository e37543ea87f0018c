"""Alerts over HTTP: list, read, acknowledge, resolve, escalate to a case, and a live feed (SSE).

The live feed polls the store, so it sees alerts written by a stream worker in another process too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse

from parallax.alerts import repository, service
from parallax.api.deps import CallerDep, SessionDep, session_factory
from parallax.api.errors import KEYED, errors
from parallax.api.types import Cursor, RowId, UtcDatetime
from parallax.kit.clock import utcnow
from parallax.kit.db import session_scope
from parallax.store.models import Alert

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], responses=KEYED)
SSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events: one `alert` event (AlertOut as JSON) per new or changed alert.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


class AlertOut(BaseModel):
    id: int
    rule: str
    key: str
    severity: str
    status: str
    title: str
    started_at: UtcDatetime
    last_seen_at: UtcDatetime
    acknowledged_at: UtcDatetime | None
    acknowledged_by: str | None
    resolved_at: UtcDatetime | None
    count: int
    detail: dict[str, Any]

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls.model_validate(alert, from_attributes=True)


class ActorIn(BaseModel):
    by: str = Field(default="api", min_length=1, max_length=200)


class EscalateIn(ActorIn):
    queue: str | None = Field(default=None, max_length=80)


class CaseRef(BaseModel):
    case_id: int
    queue: str | None
    status: str
    priority: str


@router.get("", response_model=list[AlertOut])
def list_alerts(
    caller: CallerDep, session: SessionDep, status: str | None = None, limit: int = Query(100, ge=1, le=1000)
) -> list[AlertOut]:
    return [AlertOut.of(a) for a in repository.list_alerts(session, caller.workspace_id, status, limit=limit)]


@router.get("/stream", response_class=EventSourceResponse, responses=SSE)
async def live_feed(
    request: Request,
    caller: CallerDep,
    after_id: Cursor = 0,
    limit: int | None = Query(None, ge=1, description="stop after this many events (tests, scripts)"),
) -> EventSourceResponse:
    """Server-sent events: ``alert`` for each new or updated alert, then every change as it happens."""
    interval = float(getattr(request.app.state, "alert_poll_seconds", 1.0))
    factory = session_factory(request)

    async def events() -> AsyncIterator[dict[str, str]]:
        last_id, since, sent = after_id, datetime(1970, 1, 1), 0
        while limit is None or sent < limit:
            with session_scope(factory) as session:
                changed = repository.changed_since(session, caller.workspace_id, last_id, since)
                payloads = [(a.last_seen_at, AlertOut.of(a).model_dump(mode="json")) for a in changed]
            for seen, payload in payloads:
                last_id, since = max(last_id, payload["id"]), max(since, seen)  # the store's naive UTC
                yield {"event": "alert", "id": str(payload["id"]), "data": json.dumps(payload)}
                sent += 1
                if limit is not None and sent >= limit:
                    return
            if await request.is_disconnected():
                return
            await asyncio.sleep(interval)

    return EventSourceResponse(events(), ping=15)


@router.get("/{alert_id}", response_model=AlertOut, responses=errors(404))
def get_alert(alert_id: RowId, caller: CallerDep, session: SessionDep) -> AlertOut:
    return AlertOut.of(repository.get_alert(session, caller.workspace_id, alert_id))


@router.post("/{alert_id}/ack", response_model=AlertOut, responses=errors(400, 413, 404, 409))
def acknowledge(alert_id: RowId, body: ActorIn, caller: CallerDep, session: SessionDep) -> AlertOut:
    return AlertOut.of(service.acknowledge(session, caller.workspace_id, alert_id, body.by, utcnow()))


@router.post("/{alert_id}/resolve", response_model=AlertOut, responses=errors(400, 413, 404, 409))
def resolve(alert_id: RowId, body: ActorIn, caller: CallerDep, session: SessionDep) -> AlertOut:
    return AlertOut.of(service.resolve(session, caller.workspace_id, alert_id, body.by, utcnow()))


@router.post("/{alert_id}/escalate", response_model=CaseRef, responses=errors(400, 413, 404))
def escalate(alert_id: RowId, body: EscalateIn, caller: CallerDep, session: SessionDep) -> CaseRef:
    """Open a case for the alert routed to a team (or attach to the case already open for it)."""
    case = service.escalate(session, caller.workspace_id, alert_id, body.by, body.queue)
    return CaseRef(case_id=case.id, queue=case.queue, status=case.status, priority=case.priority)
