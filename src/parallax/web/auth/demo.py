"""The demo login: one admin per workspace with documented credentials, for `make demo` only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from parallax.web.auth.users import create_user, find_user

DEMO_EMAIL = "demo@parallax.local"
DEMO_PASSWORD = "parallax-demo"


def ensure_demo_user(session: Session, workspace_id: str) -> tuple[str, str]:
    """Create the demo admin in ``workspace_id`` if missing; return (email, password) to print."""
    if find_user(session, workspace_id, DEMO_EMAIL) is None:
        create_user(session, workspace_id, DEMO_EMAIL, DEMO_PASSWORD, "admin", name="Demo Admin")
    return DEMO_EMAIL, DEMO_PASSWORD
