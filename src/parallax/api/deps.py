"""Request-scoped dependencies: one session per request (committed here, not in services), and auth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.clock import utcnow
from parallax.kit.errors import Unauthorized
from parallax.store.workspaces import find_key, key_problem


def session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def db_session(request: Request) -> Iterator[Session]:
    session = session_factory(request)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(db_session)]


@dataclass(frozen=True)
class Caller:
    workspace_id: str


def api_caller(
    session: SessionDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Caller:
    """Authenticate by ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``."""
    secret = x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        secret = authorization[7:].strip()
    if not secret:
        raise Unauthorized("an API key is required (Authorization: Bearer <key>)")
    key = find_key(session, secret)
    problem = key_problem(key, utcnow())
    if key is None or problem is not None:
        raise Unauthorized(problem or "unknown or revoked API key")
    return Caller(workspace_id=key.workspace_id)


CallerDep = Annotated[Caller, Depends(api_caller)]
