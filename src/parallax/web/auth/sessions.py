"""Login sessions as signed, expiring cookies carrying the user id and the session's CSRF token.

The cookie is HttpOnly and SameSite=Lax; the CSRF token inside it must be echoed by every POST (form field
``csrf_token`` or header ``X-CSRF-Token``), so a cross-site form cannot act for a logged-in user.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "plx_session"
LOGIN_CSRF_COOKIE = "plx_login_csrf"
MAX_AGE_S = 12 * 3600


@dataclass(frozen=True)
class SessionData:
    user_id: int
    workspace_id: str
    csrf: str


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="parallax.web.session")


def encode_session(secret: str, data: SessionData) -> str:
    return _serializer(secret).dumps({"u": data.user_id, "w": data.workspace_id, "c": data.csrf})


def decode_session(secret: str, cookie: str | None) -> SessionData | None:
    """The session in a cookie, or None when absent, forged or older than MAX_AGE_S."""
    if not cookie:
        return None
    try:
        raw = _serializer(secret).loads(cookie, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(raw, dict):
        return None
    return SessionData(user_id=int(raw["u"]), workspace_id=str(raw["w"]), csrf=str(raw["c"]))


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; an empty token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
