"""Log in and out. The login form is CSRF-protected by a double-submit cookie (there is no session yet)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from parallax.api.deps import SessionDep
from parallax.kit.clock import utcnow
from parallax.kit.errors import Forbidden
from parallax.store.models import Workspace
from parallax.web.auth.sessions import (
    LOGIN_CSRF_COOKIE,
    MAX_AGE_S,
    SESSION_COOKIE,
    decode_session,
    encode_session,
    new_csrf_token,
    revoke_session,
    start_session,
    tokens_match,
)
from parallax.web.auth.throttle import locked_until, record_attempt
from parallax.web.auth.users import check_login
from parallax.web.deps import CsrfUserDep, session_secret
from parallax.web.templating import WebRoute, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send a fresh login elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: SessionDep, next: str = "/") -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_csrf_token()
    workspaces = list(session.scalars(select(Workspace.id).order_by(Workspace.id).limit(2)))
    default_ws = workspaces[0] if len(workspaces) == 1 else ""
    response = render(
        request,
        "login.html",
        None,
        csrf=token,
        next=_safe_next(next),
        workspace=default_ws,
        email="",
        message=None,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    workspace: Annotated[str, Form()],
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Throttled per account and per address (parallax.web.auth.throttle); every attempt is recorded."""
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise Forbidden("missing or wrong CSRF token; reload the login page")
    workspace_id, address, now = workspace.strip(), client_address(request), utcnow()
    until = locked_until(session, workspace_id, email, address, now)
    if until is not None:
        record_attempt(session, workspace_id, email, address, "locked", now)
        wait = max(1, math.ceil((until - now).total_seconds()))
        locked = _form_again(request, csrf_token, next, workspace, email, 429, _locked_message(wait))
        locked.headers["Retry-After"] = str(wait)
        return locked
    user, reason = check_login(session, workspace_id, email, password)
    record_attempt(session, workspace_id, email, address, reason, now)
    if user is None:
        return _form_again(
            request, csrf_token, next, workspace, email, 401, "Unknown workspace, email or password."
        )
    session_id, _ = start_session(session, user, now)
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        encode_session(session_secret(request), session_id),
        httponly=True,
        samesite="lax",
        max_age=MAX_AGE_S,
        secure=secure,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _locked_message(wait_s: int) -> str:
    minutes = math.ceil(wait_s / 60)
    when = f"{wait_s} seconds" if wait_s < 60 else f"{minutes} minute{'s' if minutes > 1 else ''}"
    return (
        f"Too many failed logins for this account or from this address. Login is locked: try again in {when}."
    )


def _form_again(
    request: Request, csrf: str, next: str, workspace: str, email: str, status: int, message: str
) -> HTMLResponse:
    return render(
        request,
        "login.html",
        None,
        status_code=status,
        csrf=csrf,
        next=_safe_next(next),
        workspace=workspace,
        email=email,
        message=message,
    )


@router.post("/logout")
def logout(request: Request, _: CsrfUserDep, session: SessionDep) -> Response:
    """Ends the session on the server: the same cookie, replayed, no longer logs anyone in."""
    session_id = decode_session(session_secret(request), request.cookies.get(SESSION_COOKIE))
    if session_id is not None:
        revoke_session(session, session_id, utcnow())
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response
