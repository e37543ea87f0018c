"""The one redaction policy: what each audience sees of each kind of personal data.

Two audiences. ``CONTACT`` is the people who answer customers (roles with the SEE_PII permission): they see
the contact details they answer to (email, phone, name, address, booking reference) but never a whole
payment card or IBAN (the last four characters at most) nor a national identifier or passport number.
``REDACTED`` is everyone and everything else: roles without SEE_PII, the API, exports, logs and alert
notifications; every kind is replaced by its token. Pages, API, CLI output, logs and notifications all
call this module, so a kind is treated the same wherever a text is shown.

    >>> text = "I'm Ann Lee, booking ref QX7K2P, card 4111 1111 1111 1111, call 020 7946 0958"
    >>> show(text, Audience.REDACTED, model=False)
    "I'm [NAME], booking ref [BOOKING], card [CARD], call [PHONE]"
    >>> show("card 4111 1111 1111 1111, booking ref QX7K2P", Audience.CONTACT)
    'card [CARD ending 1111], booking ref QX7K2P'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from parallax.enrich.pii.detect import find_pii
from parallax.enrich.pii.spans import KINDS, TOKENS, PiiSpan, substitute

# Texts up to this length are remembered (pages show the same messages again and again).
CACHE_MAX_CHARS = 4_000
# No audience is shown more of one text than this; the rest is replaced by a note of its length, so that
# showing a megabyte-long message costs about as much as showing a hundred kilobytes.
SHOW_MAX_CHARS = 100_000
_NUMBER_CHARS = "0123456789 \u00a0-.()/+"


class Audience(StrEnum):
    CONTACT = "contact"  # staff who answer customers: contact details whole, payment and ids masked
    REDACTED = "redacted"  # everyone and everything else


@dataclass(frozen=True)
class RedactionPolicy:
    """Which kinds each audience sees whole, as their last four characters, or as a token."""

    version: str
    contact_sees: frozenset[str]
    contact_sees_last_four: frozenset[str]

    def shown(self, span: PiiSpan, original: str, audience: Audience) -> str:
        """What ``audience`` sees in place of ``original`` (the span's text)."""
        if audience is Audience.CONTACT and span.kind in self.contact_sees:
            return original
        if audience is Audience.CONTACT and span.kind in self.contact_sees_last_four:
            return f"{TOKENS[span.kind][:-1]} ending {span.value[-4:]}]"
        return TOKENS[span.kind]


POLICY = RedactionPolicy(
    version="2",
    contact_sees=frozenset({"email", "phone", "name", "address", "booking_ref"}),
    contact_sees_last_four=frozenset({"card", "iban"}),
)


def _apply(text: str, audience: Audience, region: str, model: bool) -> str:
    spans = find_pii(text, region=region, kinds=KINDS, model=model)
    if audience is Audience.CONTACT:
        spans = [s for s in spans if s.kind not in POLICY.contact_sees]
    return substitute(text, spans, lambda span, original: POLICY.shown(span, original, audience))


def _head(text: str) -> str:
    """The first ``SHOW_MAX_CHARS`` characters cut at a space, without a trailing run of digits (so no part
    of a number cut in two is shown)."""
    cut = text.rfind(" ", 0, SHOW_MAX_CHARS)
    head = text[: cut if cut > SHOW_MAX_CHARS // 2 else SHOW_MAX_CHARS]
    run = len(head) - len(head.rstrip(_NUMBER_CHARS))
    # A run longer than any identifier is cut 64 characters early, so its shown part ends well before.
    return head[: len(head) - run] if run <= 64 else head[: len(head) - run + (run // 64 - 1) * 64]


@lru_cache(maxsize=8192)
def _cached(text: str, audience: Audience, region: str, model: bool) -> str:
    return _apply(text, audience, region, model)


def show(text: str, audience: Audience = Audience.REDACTED, region: str = "US", model: bool = True) -> str:
    """``text`` as ``audience`` may see it under ``POLICY``; ``model`` lets the NER model add names."""
    if not text:
        return text
    if len(text) <= CACHE_MAX_CHARS:
        return _cached(text, audience, region, model)
    if len(text) > SHOW_MAX_CHARS:
        head = _head(text)
        rest = len(text) - len(head)
        return _apply(head, audience, region, model) + f" [... {rest:,} more characters]"
    return _apply(text, audience, region, model)


def redact(text: str, booking_refs: bool = True, region: str = "US") -> str:
    """``text`` with every piece of personal data replaced by its token: what the API, exports, logs and
    alerts carry. ``booking_refs=False`` is kept for old callers only: the policy masks booking refs."""
    if booking_refs:
        return show(text, Audience.REDACTED, region)
    spans = find_pii(text, region=region, kinds=[k for k in KINDS if k != "booking_ref"])
    return substitute(text, spans, lambda span, _: TOKENS[span.kind])


def identifier(value: str | None, audience: Audience) -> str:
    """An author's email, phone or handle as ``audience`` sees it: whole, or its first and last characters.

    >>> identifier("ann@example.com", Audience.REDACTED), identifier("@ann_lee", Audience.REDACTED)
    ('a***@e***', '@a***')
    """
    if not value:
        return ""
    if audience is Audience.CONTACT:
        return value
    if "@" in value and not value.startswith("@"):
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    if value.startswith("@"):
        return value[:2] + "***"
    return value[:2] + "***" + value[-1:] if len(value) > 4 else "***"
