"""A piece of personal data found in a text, the tokens that replace each kind, and overlap resolution."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Every kind the detectors find, in priority order: where two spans overlap, the earlier kind wins
# (an IBAN, checked mod 97, is not a card whose Luhn digit matched by chance; a card is not a phone).
KINDS: tuple[str, ...] = (
    "email",
    "iban",
    "card",
    "national_id",
    "passport",
    "booking_ref",
    "phone",
    "address",
    "name",
)

TOKENS: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "card": "[CARD]",
    "booking_ref": "[BOOKING]",
    "iban": "[IBAN]",
    "national_id": "[ID]",
    "passport": "[PASSPORT]",
    "address": "[ADDRESS]",
    "name": "[NAME]",
}


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text: its kind, where it is and its normalised value."""

    kind: str  # one of KINDS
    start: int
    end: int
    value: str  # normalised: lower-cased email, E.164 phone, digits-only card, compact IBAN or id, the text


def choose(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans in text order; on overlap the kind earlier in KINDS (then the longer) wins.

    >>> a, b = PiiSpan("phone", 0, 9, "x"), PiiSpan("card", 3, 20, "y")
    >>> [s.kind for s in choose([a, b])]
    ['card']
    """
    rank = {kind: i for i, kind in enumerate(KINDS)}
    ordered = sorted(spans, key=lambda s: (rank.get(s.kind, len(rank)), s.start - s.end, s.start))
    if not ordered:
        return []
    # One byte per character taken so far: each check and claim is linear in the span, never in the count.
    taken = bytearray(max(span.end for span in ordered))
    kept: list[PiiSpan] = []
    for span in ordered:
        if taken.find(1, span.start, span.end) == -1:
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def substitute(text: str, spans: list[PiiSpan], shown: Callable[[PiiSpan, str], str]) -> str:
    """``text`` with each span replaced by ``shown(span, original)``; ``spans`` must not overlap."""
    if not spans:
        return text
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(shown(span, text[span.start : span.end]))
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
