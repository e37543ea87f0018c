"""What an agent does to a case: each POST checks CSRF and the role, then redirects (POST/redirect/GET)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response

from parallax.api.deps import SessionDep
from parallax.cases import replies, service
from parallax.cases.adapters import OutboundSettings, outbound_from_settings
from parallax.cases.outbound import Outbound
from parallax.cases.triage import triage_new
from parallax.kit.clock import utcnow
from parallax.kit.errors import Conflict
from parallax.web.auth.permissions import Permission
from parallax.web.deps import CsrfUserDep, ensure
from parallax.web.pages.cases import case_page
from parallax.web.templating import WebRoute, redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def outbound_of(request: Request) -> Outbound:
    """``app.state.outbound`` when set (tests, embedding apps), else adapters from PARALLAX_* settings."""
    outbound = getattr(request.app.state, "outbound", None)
    if outbound is None:
        outbound = outbound_from_settings(OutboundSettings())
        request.app.state.outbound = outbound
    return outbound


@router.post("/cases/route")
def route_new(user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.WORK_CASES)
    done = triage_new(session, user.workspace_id, utcnow())
    return redirect(f"/cases?routed={done}")


@router.post("/cases/{case_id}/status")
def change_status(
    case_id: int,
    user: CsrfUserDep,
    session: SessionDep,
    status: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    ensure(user, Permission.WORK_CASES)
    service.change_status(session, user.workspace_id, case_id, status, user.email, utcnow(), reason)
    return redirect(f"/cases/{case_id}?done=status")


@router.post("/cases/{case_id}/priority")
def set_priority(
    case_id: int, user: CsrfUserDep, session: SessionDep, priority: Annotated[str, Form()]
) -> Response:
    ensure(user, Permission.WORK_CASES)
    service.set_priority(session, user.workspace_id, case_id, priority, user.email, utcnow())
    return redirect(f"/cases/{case_id}?done=priority")


@router.post("/cases/{case_id}/assign")
def assign(
    case_id: int, user: CsrfUserDep, session: SessionDep, assignee: Annotated[str, Form()] = ""
) -> Response:
    ensure(user, Permission.WORK_CASES)
    service.assign(session, user.workspace_id, case_id, assignee, user.email, utcnow())
    return redirect(f"/cases/{case_id}?done=assign")


@router.post("/cases/{case_id}/note")
def add_note(case_id: int, user: CsrfUserDep, session: SessionDep, body: Annotated[str, Form()]) -> Response:
    ensure(user, Permission.WORK_CASES)
    service.add_note(session, user.workspace_id, case_id, body, user.email, utcnow())
    return redirect(f"/cases/{case_id}?done=note")


@router.post("/cases/{case_id}/replying")
def replying(case_id: int, user: CsrfUserDep, session: SessionDep) -> JSONResponse:
    """Called when the reply box gets focus: marks the agent as replying and names who else is."""
    ensure(user, Permission.REPLY)
    others = replies.mark_replying(session, user.workspace_id, case_id, user.email, utcnow())
    return JSONResponse({"others": [{"who": who, "since": at.isoformat()} for who, at in others]})


@router.post("/cases/{case_id}/reply")
def send_reply(
    request: Request,
    case_id: int,
    user: CsrfUserDep,
    session: SessionDep,
    body: Annotated[str, Form()],
    seen_event_id: Annotated[int, Form()],
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    ensure(user, Permission.REPLY)
    try:
        outcome = replies.reply(
            session,
            user.workspace_id,
            case_id,
            body,
            user.email,
            utcnow(),
            outbound_of(request),
            seen_event_id,
            confirm,
        )
    except Conflict as exc:
        # Keep the draft and say why: another agent answered or is answering.
        return case_page(
            request,
            session,
            user,
            case_id,
            status_code=409,
            reply_body=body,
            warning=exc.detail,
            confirm_needed="already replying" in exc.detail,
        )
    done = "reply-sent" if outcome.receipt.status == "sent" else "reply-failed"
    return redirect(f"/cases/{case_id}?done={done}")
