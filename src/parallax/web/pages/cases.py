"""The case inbox (``/cases``) and one case with its customer context (``/cases/{id}``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from parallax.api.deps import SessionDep
from parallax.cases import repository as repo
from parallax.cases.lifecycle import OPEN_STATUSES, STATUSES, allowed_from
from parallax.cases.replies import others_replying
from parallax.cases.service import due_at
from parallax.cases.sla import PRIORITIES, SlaState, at_risk, sla_state
from parallax.kit.clock import utcnow
from parallax.store.models import Case
from parallax.web.auth.users import list_users
from parallax.web.deps import ViewDep, WebUser
from parallax.web.queries.profile import customer_profile
from parallax.web.redaction import shown_identifier, shown_text
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PAGE = 50


@dataclass(frozen=True)
class Row:
    case: Case
    sla: SlaState
    at_risk: bool


def sla_of(case: Case, now: datetime) -> SlaState:
    """The running clock; a case not routed yet shows the clock its priority implies."""
    due = case.sla_due_at or (due_at(case) if case.status in OPEN_STATUSES else None)
    return sla_state(due, case.first_response_at is not None, now, case.status in OPEN_STATUSES - {"pending"})


@router.get("/cases", response_class=HTMLResponse)
def inbox(
    request: Request,
    user: ViewDep,
    session: SessionDep,
    status: str = "active",
    channel: str = "",
    queue: str = "",
    priority: str = "",
    assignee: str = "",
    breached: bool = False,
    page: int = 1,
) -> HTMLResponse:
    now = utcnow()
    f = repo.InboxFilter(
        status=status or None,
        channel=channel or None,
        queue=queue or None,
        priority=priority or None,
        assignee=assignee or None,
        breached_at=now if breached else None,
    )
    page = max(1, page)
    cases = repo.list_cases(session, user.workspace_id, f, limit=PAGE, offset=(page - 1) * PAGE)
    rows = [Row(c, s := sla_of(c, now), at_risk(s, c.priority)) for c in cases]
    return render(
        request,
        "cases.html",
        user,
        active="cases",
        rows=rows,
        total=repo.count_cases(session, user.workspace_id, f),
        page=page,
        page_size=PAGE,
        facets=repo.facets(session, user.workspace_id),
        statuses=STATUSES,
        priorities=PRIORITIES,
        filters={
            "status": status,
            "channel": channel,
            "queue": queue,
            "priority": priority,
            "assignee": assignee,
            "breached": breached,
        },
        counts=repo.status_counts(session, user.workspace_id, STATUSES),
    )


def timeline(session: Session, case: Case, user: WebUser) -> list[dict[str, Any]]:
    """Events as the user may see them: customer messages redacted for roles without SEE_PII."""
    items = []
    for event, interaction in repo.events_of(session, case):
        text = event.body
        if interaction is not None:
            text = interaction.text or event.body
        items.append(
            {
                "event": event,
                "interaction": interaction,
                "text": shown_text(text, user.role),
                "author": shown_identifier(
                    (interaction.author_handle or interaction.author_email) if interaction else None,
                    user.role,
                ),
            }
        )
    return items


def customer_context(session: Session, case: Case) -> Any:
    """The customer's 360 profile (identity's logic), or None for a case not linked to anyone yet."""
    if case.customer_id is None:
        return None
    return customer_profile(session, case.workspace_id, case.customer_id)


def case_page(
    request: Request, session: Session, user: WebUser, case_id: int, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    """Render one case; also used to re-render with a warning when a reply was refused."""
    case = repo.get_case(session, user.workspace_id, case_id)
    now = utcnow()
    sla = sla_of(case, now)
    context = {
        "case": case,
        "sla": sla,
        "at_risk": at_risk(sla, case.priority),
        "events": timeline(session, case, user),
        "next_statuses": allowed_from(case.status),
        "priorities": PRIORITIES,
        "seen_event_id": repo.latest_event_id(session, case),
        "replying": [(who, at) for who, at in others_replying(case, user.email, now)],
        "profile": customer_context(session, case),
        "agents": [u.email for u in list_users(session, user.workspace_id) if u.role in ("agent", "admin")],
        "reply_body": "",
        "warning": None,
        "confirm_needed": False,
        "notice": request.query_params.get("done"),
    }
    context.update(extra)
    return render(request, "case.html", user, status_code=status_code, active="cases", **context)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_detail(request: Request, case_id: int, user: ViewDep, session: SessionDep) -> HTMLResponse:
    return case_page(request, session, user, case_id)
