from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from parallax import __version__
from parallax.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/v1/health")
def health(session: SessionDep) -> dict[str, str]:
    """Liveness and database reachability; the only route that needs no key."""
    session.execute(text("select 1"))
    return {"status": "ok", "version": __version__}
