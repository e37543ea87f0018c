"""The live view: incoming interactions and alerts, pushed by server-sent events (``/live/events``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session, sessionmaker
from sse_starlette.sse import EventSourceResponse

from parallax.api.deps import SessionDep
from parallax.web.deps import ViewDep, WebUser
from parallax.web.queries.live import AlertItem, FeedItem, alerts_after, cursors, interactions_after
from parallax.web.redaction import display_text
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)
POLL_S = 1.0
WHERE_KEYS = 3  # the first segment attributes say where; the rest is on the interaction


def feed_json(item: FeedItem, role: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "at": item.occurred_at.isoformat(sep=" ", timespec="minutes"),
        "channel": item.channel,
        "kind": item.kind,
        "sentiment": item.sentiment,
        "category": item.category,
        "text": display_text(item.text, item.redacted_text, role)[:280],
        "where": ", ".join(f"{k}={v}" for k, v in list(item.segments.items())[:WHERE_KEYS]),
    }


def alert_json(item: AlertItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "severity": item.severity,
        "status": item.status,
        "where": item.where,
        "count": item.count,
        "at": item.last_seen_at.isoformat(sep=" ", timespec="minutes"),
    }


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request, user: ViewDep, session: SessionDep) -> HTMLResponse:
    feed = [feed_json(i, user.role) for i in interactions_after(session, user.workspace_id, None)]
    alerts = [alert_json(a) for a in alerts_after(session, user.workspace_id, None)]
    return render(request, "live.html", user, active="live", feed=feed, alerts=alerts)


def poll_once(
    session: Session, user: WebUser, after: tuple[int, int]
) -> tuple[list[tuple[str, str]], tuple[int, int]]:
    """One poll of the store: (event name, JSON) pairs oldest first, and the advanced cursors."""
    events: list[tuple[str, str]] = []
    new_items = interactions_after(session, user.workspace_id, after[0])
    new_alerts = alerts_after(session, user.workspace_id, after[1])
    events += [("interaction", json.dumps(feed_json(i, user.role))) for i in reversed(new_items)]
    events += [("alert", json.dumps(alert_json(a))) for a in reversed(new_alerts)]
    last_i = max([after[0], *(i.id for i in new_items)])
    last_a = max([after[1], *(a.id for a in new_alerts)])
    return events, (last_i, last_a)


async def _stream(
    request: Request, factory: sessionmaker[Session], user: WebUser
) -> AsyncIterator[dict[str, str]]:
    with factory() as session:
        after = cursors(session, user.workspace_id)
    while not await request.is_disconnected():
        with factory() as session:
            events, after = poll_once(session, user, after)
        for name, data in events:
            yield {"event": name, "data": data}
        await asyncio.sleep(POLL_S)


@router.get("/live/events")
def live_events(request: Request, user: ViewDep) -> EventSourceResponse:
    """The stream polls the store once a second with its own short sessions (no connection held open)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return EventSourceResponse(_stream(request, factory, user), ping=15)
