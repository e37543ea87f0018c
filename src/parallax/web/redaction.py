"""What a user may read: every text and identifier on a page goes through the one redaction policy.

Roles with SEE_PII (agents, admins) are the policy's CONTACT audience: contact details whole, card numbers
and IBANs as their last four characters, national identifiers and passports never. Every other role is the
REDACTED audience: every kind replaced by its token. Texts are redacted from the raw text each time they are
shown (the policy caches), so a stored redaction made under an older policy is never what a page shows.
"""

from __future__ import annotations

from parallax.enrich.pii import Audience, identifier, show
from parallax.web.auth.permissions import Permission, allowed


def audience(role: str) -> Audience:
    """The policy's audience for ``role``."""
    return Audience.CONTACT if allowed(role, Permission.SEE_PII) else Audience.REDACTED


def shown_text(text: str | None, role: str) -> str:
    """The text as ``role`` may see it."""
    return show(text, audience(role)) if text else ""


def shown_identifier(value: str | None, role: str) -> str:
    """An email, phone or handle as ``role`` may see it: whole, or masked to its first and last characters."""
    return identifier(value, audience(role))


def display_text(raw: str | None, redacted: str | None, role: str) -> str:
    """The raw text under the policy for ``role``; a stored redaction only where the raw text is gone."""
    if raw:
        return shown_text(raw, role)
    return redacted or ""
