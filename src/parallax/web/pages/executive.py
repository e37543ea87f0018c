"""The executive view (``/``) and the drill-down behind every number (``/drill``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from parallax.api.deps import SessionDep
from parallax.web import rollup
from parallax.web.deps import DrillDep, ViewDep
from parallax.web.queries.board import gap_index
from parallax.web.queries.drill import MAX_ROWS, DrillFilter, drill
from parallax.web.queries.executive import Executive, executive
from parallax.web.redaction import display_text
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def drill_url(
    side: str | None,
    tone: str | None,
    start: datetime | None,
    end: datetime | None,
    key: str | None = None,
    value: str | None = None,
) -> str:
    """The link every number carries: the same filters as the aggregate that produced it."""
    params = {
        "side": side,
        "tone": tone,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "key": key,
        "value": value,
    }
    return "/drill?" + urlencode({k: v for k, v in params.items() if v is not None})


def chart_data(ex: Executive) -> dict[str, Any]:
    """What charts.js plots; the same figures the tables show."""
    weeks = [w.date().isoformat() for w, _ in ex.trend]
    return {
        "weeks": weeks,
        "inside": [f.inside_pct for _, f in ex.trend],
        "outside": [f.outside_pct for _, f in ex.trend],
        "gap": [f.gap for _, f in ex.trend],
        "heat_key": ex.heatmap_key,
        "heat_rows": list(ex.heatmap),
        "heat": [
            [cells[i].gap if i in cells else None for i in range(len(weeks))] for cells in ex.heatmap.values()
        ],
    }


@router.get("/", response_class=HTMLResponse)
def executive_page(
    request: Request, user: ViewDep, session: SessionDep, segment: str | None = None
) -> HTMLResponse:
    rollup.refresh(session, user.workspace_id)  # incremental: only days touched by new rows are rebuilt
    ex = executive(session, user.workspace_id, heatmap_key=segment)
    last_start = ex.window.end - timedelta(weeks=1) if ex.window else None
    return render(
        request,
        "executive.html",
        user,
        active="executive",
        ex=ex,
        last_start=last_start,
        one_week=timedelta(weeks=1),
        drill=drill_url,
        chart_data=chart_data(ex) if ex.window else {},
        index=gap_index(session, user.workspace_id, last_start, ex.window.end)
        if ex.window and last_start
        else None,
    )


def _describe(f: DrillFilter) -> str:
    parts = [
        {"inside": "Survey answers", "outside": "Organic inbound interactions"}.get(
            f.side or "", "Interactions"
        )
    ]
    if f.tone:
        parts.append(f"({f.tone})")
    if f.segment_key:
        parts.append(f"where {f.segment_key} = {f.segment_value}")
    if f.start and f.end:
        parts.append(f"from {f.start:%Y-%m-%d} to {f.end:%Y-%m-%d}")
    return " ".join(parts)


@router.get("/drill", response_class=HTMLResponse)
def drill_page(
    request: Request,
    user: DrillDep,
    session: SessionDep,
    side: str | None = None,
    tone: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    key: str | None = None,
    value: str | None = None,
) -> HTMLResponse:
    f = DrillFilter(side=side, tone=tone, start=start, end=end, segment_key=key, segment_value=value)
    rows = [
        {
            **r.__dict__,
            "shown": display_text(r.text, r.redacted_text, user.role),
        }
        for r in drill(session, user.workspace_id, f)
    ]
    return render(
        request, "drill.html", user, active="executive", rows=rows, limit=MAX_ROWS, description=_describe(f)
    )
