"""Log in and out. The login form is CSRF-protected by a double-submit cookie (there is no session yet)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from parallax.api.deps import SessionDep
from parallax.kit.errors import Forbidden
from parallax.store.models import Workspace
from parallax.web.auth.sessions import (
    LOGIN_CSRF_COOKIE,
    MAX_AGE_S,
    SESSION_COOKIE,
    SessionData,
    encode_session,
    new_csrf_token,
    tokens_match,
)
from parallax.web.auth.users import authenticate
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
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise Forbidden("missing or wrong CSRF token; reload the login page")
    user = authenticate(session, workspace.strip(), email, password)
    if user is None:
        return render(
            request,
            "login.html",
            None,
            status_code=401,
            csrf=csrf_token,
            next=_safe_next(next),
            workspace=workspace,
            email=email,
            message="Unknown workspace, email or password.",
        )
    cookie = encode_session(
        session_secret(request), SessionData(user.id, user.workspace_id, new_csrf_token())
    )
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE, cookie, httponly=True, samesite="lax", max_age=MAX_AGE_S, secure=secure
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(_: CsrfUserDep) -> Response:
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response
