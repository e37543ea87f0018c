"""PII redaction: emails, phone numbers (E.164), card numbers (Luhn) and, where configured, booking refs.

The redacted text is what the UI shows and what logs carry; identifiers needed for linkage are kept only as
``stable_hash`` values (see ``parallax.enrich.entities``). Pure functions first, the pipeline step last.

Example:
    >>> redact("Mail me at ann@example.com or call +1 (415) 555-2671, card 4111 1111 1111 1111")
    'Mail me at [EMAIL] or call [PHONE], card [CARD]'
    >>> redact("Flight UA 1234 on 2015-02-24 was late")
    'Flight UA 1234 on 2015-02-24 was late'
    >>> redact("booking ref QX7K2P please", booking_refs=True)
    'booking ref [BOOKING] please'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from parallax.enrich.pipeline import Enriched

TOKENS = {"email": "[EMAIL]", "phone": "[PHONE]", "card": "[CARD]", "booking_ref": "[BOOKING]"}

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
# Candidate card numbers: 13-19 digits, optionally grouped by single spaces or dashes.
CARD_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# A booking reference (PNR) only counts next to words that announce one; six letters/digits, one letter.
BOOKING_RE = re.compile(
    r"(?i:\b(?:booking|confirmation|reservation|record\s+locator|pnr|conf(?:irmation)?\.?)"
    r"(?:\s+(?:ref(?:erence)?|code|number|no\.?|num|id))?\s*(?:is|was)?\s*[:#]?\s*)"
    r"(?P<ref>(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6})\b"
)
DIGIT_RE = re.compile(r"\d")
MIN_PHONE_DIGITS = 7
# An email needs a local-part character right before its "@"; a handle ("@united") has none.
EMAIL_GATE_RE = re.compile(r"[A-Za-z0-9._%+-]@")
# A phone or card candidate is digits with at most four separators between them (phonenumbers' matcher
# allows 0-4 punctuation characters from a set inside \W plus "x" and "ー"): at least seven such digits.
NUMBER_GATE_RE = re.compile(rf"\d(?:(?:\W|[x\u30fc]){{0,4}}\d){{{MIN_PHONE_DIGITS - 1}}}")


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text: its kind, where it is and its normalised value."""

    kind: str  # email | phone | card | booking_ref
    start: int
    end: int
    value: str  # normalised: lower-cased email, E.164 phone, digits-only card, upper-case ref


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` pass the Luhn checksum (every real payment card does).

    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(ch) for ch in number if ch.isdigit()]
    if not digits:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def to_e164(raw: str, region: str = "US") -> str | None:
    """The E.164 form of a phone number, or None when it is not a valid number.

    >>> to_e164("(415) 555-2671"), to_e164("+44 20 7946 0958"), to_e164("12345")
    ('+14155552671', '+442079460958', None)
    """
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def may_hold_pii(text: str, booking_refs: bool = False) -> bool:
    """False only when ``find_pii`` must find nothing: no email-like "@", too few digits, no booking refs."""
    return booking_refs or _may_hold_email(text) or _enough_digits(text)


def _may_hold_email(text: str) -> bool:
    return "@" in text and EMAIL_GATE_RE.search(text) is not None


def _enough_digits(text: str) -> bool:
    # Cheap gate: most messages hold no long numbers, and card and phone matching are the slow part.
    return NUMBER_GATE_RE.search(text) is not None


def _emails(text: str) -> Iterator[PiiSpan]:
    if not _may_hold_email(text):
        return
    for match in EMAIL_RE.finditer(text):
        yield PiiSpan("email", match.start(), match.end(), match.group().lower())


def _cards(text: str) -> Iterator[PiiSpan]:
    for match in CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # Payment cards start 2-6 (Mastercard 2-series, Amex/Diners 3, Visa 4, Mastercard 5, Discover 6).
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits):
            yield PiiSpan("card", match.start(), match.end(), digits)


def _phones(text: str, region: str) -> Iterator[PiiSpan]:
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield PiiSpan("phone", match.start, match.end, value)


def booking_refs_in(text: str) -> Iterator[PiiSpan]:
    """Booking references announced by context ("booking ref ABC123", "confirmation #X7K2QP")."""
    for match in BOOKING_RE.finditer(text):
        yield PiiSpan("booking_ref", match.start("ref"), match.end("ref"), match.group("ref").upper())


def find_pii(text: str, booking_refs: bool = False, region: str = "US") -> list[PiiSpan]:
    """All non-overlapping PII spans in ``text``, in order; earlier kinds win overlaps (card before phone)."""
    spans: list[PiiSpan] = list(_emails(text))
    if _enough_digits(text):
        spans.extend(_cards(text))
        spans.extend(_phones(text, region))
    if booking_refs:
        spans.extend(booking_refs_in(text))
    chosen: list[PiiSpan] = []
    for span in spans:  # priority order = insertion order
        if all(span.end <= kept.start or span.start >= kept.end for kept in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda span: span.start)


def redact(text: str, booking_refs: bool = False, region: str = "US") -> str:
    """``text`` with every email, phone, card number (and booking ref if asked) replaced by a token."""
    spans = find_pii(text, booking_refs=booking_refs, region=region)
    if not spans:
        return text
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(TOKENS[span.kind])
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


class PiiStep:
    """Pipeline step: fills ``redacted_text`` so that nothing downstream shows raw personal data."""

    name = "pii"
    version = "1"

    def __init__(self, booking_refs: bool = False, region: str = "US") -> None:
        self.booking_refs = booking_refs
        self.region = region

    def apply(self, batch: list[Enriched]) -> None:
        for item in batch:
            item.redacted_text = redact(item.text, booking_refs=self.booking_refs, region=self.region)


def make_step(tier: str) -> PiiStep:
    """Registry factory: redaction is the same at every tier; booking refs stay opt-in."""
    return PiiStep()
