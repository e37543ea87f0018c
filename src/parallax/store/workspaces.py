"""Workspace and API-key repository. Keys are shown once at creation and stored as SHA-256 only.

A key may carry an expiry: from then on it is refused like a revoked one, with its own message.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

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


def create_api_key(session: Session, workspace_id: str, name: str, expires_at: datetime | None = None) -> str:
    """Create a key (valid until ``expires_at``, naive UTC, or for ever) and return its secret; only its
    hash is kept."""
    secret = KEY_PREFIX + secrets.token_urlsafe(24)
    session.add(
        ApiKey(
            workspace_id=workspace_id,
            name=name,
            prefix=secret[:10],
            key_hash=hash_key(secret),
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    session.flush()
    return secret


def key_problem(key: ApiKey | None, now: datetime) -> str | None:
    """Why a key may not be used (a message for the caller), or None when it is good."""
    if key is None or key.revoked_at is not None:
        return "unknown or revoked API key"
    if key.expires_at is not None and key.expires_at <= now:
        return f"API key {key.prefix}… expired at {key.expires_at:%Y-%m-%d %H:%M} UTC; create a new one"
    return None


def find_key(session: Session, secret: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(secret)))


def workspace_for_key(session: Session, secret: str, now: datetime | None = None) -> str | None:
    """The workspace of a live key (not revoked, not expired), else None."""
    key = find_key(session, secret)
    if key is None or key_problem(key, now or utcnow()) is not None:
        return None
    return key.workspace_id
