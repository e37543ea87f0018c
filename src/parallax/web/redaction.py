"""What a user may read: personal data is redacted for roles without SEE_PII.

Uses the enrichment room's redactor when it is installed, with a small regex fallback otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from parallax.web.auth.permissions import Permission, allowed

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ().-]{6,}\d(?!\w)")


def _fallback_redact(text: str) -> str:
    text = _EMAIL.sub("[EMAIL]", text)
    text = _CARD.sub("[CARD]", text)
    return _PHONE.sub("[PHONE]", text)


def _load_redactor() -> Callable[[str], str]:
    try:
        from parallax.enrich.pii import redact
    except ImportError:
        return _fallback_redact
    return redact


REDACT: Callable[[str], str] = _load_redactor()


def shown_text(text: str | None, role: str) -> str:
    """The text as ``role`` may see it."""
    if not text:
        return ""
    return text if allowed(role, Permission.SEE_PII) else REDACT(text)


def shown_identifier(value: str | None, role: str) -> str:
    """An email, phone or handle as ``role`` may see it: masked to its first and last characters."""
    if not value:
        return ""
    if allowed(role, Permission.SEE_PII):
        return value
    if "@" in value and not value.startswith("@"):
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    if value.startswith("@"):
        return value[:2] + "***"
    return value[:2] + "***" + value[-1:] if len(value) > 4 else "***"


def display_text(raw: str | None, redacted: str | None, role: str) -> str:
    """Raw text for roles that may see personal data; else enrichment's redaction, or ours."""
    if allowed(role, Permission.SEE_PII):
        return raw or ""
    return redacted if redacted else shown_text(raw, role)
