"""Workspace and API-key repository. Keys are shown once at creation and stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.store.models import ApiKey, Workspace

KEY_PREFIX = "plx_"


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def ensure_workspace(session: Session, workspace_id: str, name: str | None = None) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        workspace = Workspace(id=workspace_id, name=name or workspace_id, created_at=utcnow())
        session.add(workspace)
        session.flush()
    return workspace


def create_api_key(session: Session, workspace_id: str, name: str) -> str:
    """Create a key and return its secret; only its hash is kept."""
    secret = KEY_PREFIX + secrets.token_urlsafe(24)
    session.add(
        ApiKey(
            workspace_id=workspace_id,
            name=name,
            prefix=secret[:10],
            key_hash=hash_key(secret),
            created_at=utcnow(),
        )
    )
    session.flush()
    return secret


def workspace_for_key(session: Session, secret: str) -> str | None:
    key = session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None))
    )
    return None if key is None else key.workspace_id
