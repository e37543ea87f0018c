"""Every detector over one text, overlaps resolved: the spans the redaction policy replaces.

>>> [(s.kind, s.value) for s in find_pii("card 4111111111111111 mail X@Y.COM", kinds=("card", "email"))]
[('card', '4111111111111111'), ('email', 'x@y.com')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from parallax.enrich.pii import ner
from parallax.enrich.pii.numbers import (
    booking_refs_in,
    cards,
    emails,
    ibans,
    may_hold_email,
    national_ids,
    passports,
)
from parallax.enrich.pii.people import addresses, names
from parallax.enrich.pii.phones import MIN_DIGITS, phones
from parallax.enrich.pii.spans import KINDS, PiiSpan, choose

# A phone or card candidate is digits with at most four separators between them: at least seven digits.
NUMBER_GATE_RE = re.compile(rf"\d(?:(?:\W|[x\u30fc]){{0,4}}\d){{{MIN_DIGITS - 1}}}")
# Names, addresses, national ids and passports all hold a capital letter or a run of digits.
CAPITAL_GATE_RE = re.compile(r"[A-ZÀ-Þ]")
DEFAULT_KINDS: frozenset[str] = frozenset(KINDS) - {"booking_ref"}


def may_hold_contact(text: str) -> bool:
    """False only when ``text`` holds no email, phone or card: no email-like "@" and too few digits."""
    return may_hold_email(text) or NUMBER_GATE_RE.search(text) is not None


def may_hold_pii(text: str, booking_refs: bool = False) -> bool:
    """False only when ``find_pii`` must find nothing: no "@" before a word, few digits, no capital letter."""
    return booking_refs or may_hold_contact(text) or CAPITAL_GATE_RE.search(text) is not None


def _detectors(region: str) -> dict[str, Callable[[str], Iterable[PiiSpan]]]:
    return {
        "email": emails,
        "card": cards,
        "iban": ibans,
        "national_id": national_ids,
        "passport": passports,
        "booking_ref": booking_refs_in,
        "phone": lambda text: phones(text, region),
        "address": addresses,
        "name": names,
    }


def find_pii(
    text: str,
    booking_refs: bool = False,
    region: str = "US",
    kinds: Collection[str] | None = None,
    model: bool = True,
) -> list[PiiSpan]:
    """All non-overlapping PII spans in ``text``, in order; see ``spans.KINDS`` for who wins an overlap.

    ``kinds`` limits the search (default: every kind, booking refs only with ``booking_refs``); ``model``
    lets the named-entity model add names where the ``pii`` extra is installed."""
    wanted = set(DEFAULT_KINDS if kinds is None else kinds)
    if booking_refs:
        wanted.add("booking_ref")
    if not text or not may_hold_pii(text, "booking_ref" in wanted):
        return []
    numeric = may_hold_contact(text)
    found: list[PiiSpan] = []
    for kind, detect in _detectors(region).items():
        if kind not in wanted or (kind in ("card", "phone") and not numeric):
            continue
        found.extend(detect(text))
    if model and "name" in wanted:
        found.extend(ner.person_spans(text))
    return choose(found)
