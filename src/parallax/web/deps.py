"""Request dependencies of the web app: the logged-in user, permission checks and CSRF checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from parallax.api.deps import SessionDep, session_factory
from parallax.kit.clock import utcnow
from parallax.kit.errors import Forbidden
from parallax.kit.settings import load_settings
from parallax.kit.signing_key import process_secret
from parallax.web.auth.permissions import Permission, allowed
from parallax.web.auth.sessions import (
    SESSION_COOKIE,
    active_session,
    decode_session,
    needs_touch,
    tokens_match,
    touch_session,
)
from parallax.web.auth.users import get_user


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


@dataclass(frozen=True)
class WebUser:
    id: int
    workspace_id: str
    email: str
    name: str
    role: str
    csrf: str

    def can(self, permission: Permission | str) -> bool:
        return allowed(self.role, Permission(permission))


def session_secret(request: Request) -> str:
    """The signing key: ``app.state.web_secret`` (set by ``parallax serve``, the demo and tests), else
    PARALLAX_SECRET_KEY, else a random key of this process (sessions then end when it stops)."""
    secret = getattr(request.app.state, "web_secret", None)
    if not secret:
        secret = load_settings().secret_key or process_secret()
        request.app.state.web_secret = secret
    return str(secret)


def current_user(request: Request, session: SessionDep) -> WebUser:
    """The user of a live server-side session: revoked, expired or unknown sessions, disabled or deleted
    users and a session replayed across workspaces all send the browser to the login form."""
    session_id = decode_session(session_secret(request), request.cookies.get(SESSION_COOKIE))
    now = utcnow()
    row = None if session_id is None else active_session(session, session_id, now)
    if row is None:
        raise LoginRequired()
    user = get_user(session, row.user_id)
    if user is None or user.workspace_id != row.workspace_id or user.disabled_at is not None:
        raise LoginRequired()
    if needs_touch(row, now):
        _touch(request, row.id_hash, now)
    return WebUser(user.id, user.workspace_id, user.email, user.name, user.role, row.csrf)


def _touch(request: Request, id_hash: str, now: datetime) -> None:
    """Record last_seen_at in its own short unit of work: the request's session may stay open for a whole
    event stream, and holding a write there would block every other writer of a SQLite store."""
    with session_factory(request)() as own:
        touch_session(own, id_hash, now)
        own.commit()


UserDep = Annotated[WebUser, Depends(current_user)]


def require(permission: Permission) -> Callable[[WebUser], WebUser]:
    """A dependency giving the user when their role holds ``permission``; 403 otherwise."""

    def dependency(user: UserDep) -> WebUser:
        if not user.can(permission):
            raise Forbidden(f"your role ({user.role}) may not {permission.value.replace('_', ' ')}")
        return user

    return dependency


async def csrf_checked(request: Request, user: UserDep) -> WebUser:
    """For every POST: the form field ``csrf_token`` or header ``X-CSRF-Token`` must match the session."""
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(user.csrf, given):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again")
    return user


CsrfUserDep = Annotated[WebUser, Depends(csrf_checked)]


def ensure(user: WebUser, permission: Permission) -> WebUser:
    """Raise Forbidden unless ``user`` holds ``permission`` (for POST handlers, after the CSRF check)."""
    return require(permission)(user)


ViewDep = Annotated[WebUser, Depends(require(Permission.VIEW))]
DrillDep = Annotated[WebUser, Depends(require(Permission.DRILL))]
CasesDep = Annotated[WebUser, Depends(require(Permission.WORK_CASES))]
AdminDep = Annotated[WebUser, Depends(require(Permission.ADMIN))]
