"""Login sessions: server-side rows (``web_session``) named by a random id the cookie carries, signed.

Logout revokes the row, and disabling or deleting a user revokes all of theirs, so a copied or replayed cookie
stops working at once. Only the SHA-256 of the session id is stored: a read of the table cannot be turned
into a cookie. The cookie is HttpOnly and SameSite=Lax; the session's CSRF token (kept on the row) must be
echoed by every POST (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from parallax.store.models import User, WebSession

SESSION_COOKIE = "plx_session"
LOGIN_CSRF_COOKIE = "plx_login_csrf"
MAX_AGE_S = 12 * 3600
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="parallax.web.session")


def encode_session(secret: str, session_id: str) -> str:
    """The cookie value: the session id, signed and timestamped with the app's secret."""
    return _serializer(secret).dumps(session_id)


def decode_session(secret: str, cookie: str | None) -> str | None:
    """The session id in a cookie, or None when absent, forged or older than MAX_AGE_S."""
    if not cookie:
        return None
    try:
        raw = _serializer(secret).loads(cookie, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    return raw if isinstance(raw, str) and raw else None


def start_session(session: Session, user: User, now: datetime) -> tuple[str, WebSession]:
    """Open a session for ``user``; returns the raw id (for the cookie only) and the stored row."""
    session_id = secrets.token_urlsafe(32)
    row = WebSession(
        id_hash=hash_session_id(session_id),
        user_id=user.id,
        workspace_id=user.workspace_id,
        csrf=new_csrf_token(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(seconds=MAX_AGE_S),
    )
    session.add(row)
    session.flush()
    return session_id, row


def active_session(session: Session, session_id: str, now: datetime) -> WebSession | None:
    """The session named by ``session_id`` when it is neither revoked nor expired."""
    row = session.get(WebSession, hash_session_id(session_id))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def needs_touch(row: WebSession, now: datetime) -> bool:
    return now - row.last_seen_at >= TOUCH_EVERY


def touch_session(session: Session, id_hash: str, now: datetime) -> None:
    session.execute(update(WebSession).where(WebSession.id_hash == id_hash).values(last_seen_at=now))


def revoke_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.id_hash == hash_session_id(session_id), WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_user_sessions(session: Session, user_id: int, now: datetime) -> int:
    """End every open session of a user (disabled or deleted); returns how many were open."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(session: Session, user_id: int, now: datetime) -> list[WebSession]:
    return list(
        session.scalars(
            select(WebSession).where(
                WebSession.user_id == user_id, WebSession.revoked_at.is_(None), WebSession.expires_at > now
            )
        )
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; an empty token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
