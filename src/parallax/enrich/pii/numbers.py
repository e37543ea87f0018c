"""Identifiers with a fixed shape: emails, payment cards, IBANs, national identifiers, passports, booking
refs.

A shape alone is a weak signal, so every kind that has a checksum must pass it (Luhn for cards, ISO 7064
mod 97 for IBANs, each country's rule for national identifiers, through python-stdnum); kinds without one
(passports, US SSN and Dutch BSN written bare, booking refs) count only next to a word that announces them.
Every pattern is bounded (no unbounded repetition a long run of characters could drive), so each one is
linear in the length of the text.

    >>> [s.kind for s in ibans("IBAN GB82 WEST 1234 5698 7654 32 thanks")]
    ['iban']
    >>> [s.value for s in national_ids("DNI 12345678Z, NIE X1234567L")]
    ['12345678Z', 'X1234567L']
    >>> [s.value for s in passports("my passport number is 533401372")]
    ['533401372']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

from stdnum import iban as std_iban
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.us import ssn

from parallax.enrich.pii.spans import PiiSpan

EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
)
# An email needs a local-part character right before its "@"; a handle ("@united") has none. Local parts
# may hold any letter (RFC 6531: "josé@..."); domains are matched in their ASCII form.
EMAIL_GATE_RE = re.compile(r"[\w.%+-]@")
# Candidate card numbers: 13-19 digits, optionally grouped by single spaces or dashes.
CARD_RE = re.compile(r"(?<![\w+-])\d(?:[ -]?\d){12,18}(?![\d-])")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
# A booking reference (PNR) only counts next to words that announce one; six letters/digits, one letter.
BOOKING_RE = re.compile(
    r"(?i:\b(?:booking|confirmation|reservation|record\s{1,3}locator|pnr|conf(?:irmation)?\.?|localizador"
    r"|réservation|buchungsnummer|buchung)"
    r"(?:\s{1,3}(?:ref(?:erence)?|code|number|no\.?|num|id))?\s{0,3}(?:is|was|es)?\s{0,3}[:#]?\s{0,3})"
    r"(?P<ref>(?=[A-Z0-9]{0,5}[A-Z])[A-Z0-9]{6})\b"
)
PASSPORT_RE = re.compile(
    r"(?i:\b(?:passport|pasaporte|passeport|reisepass|passaporto|paspoort|paszport|passaporte)\b)"
    r"[^\n\d]{0,30}?(?<![A-Za-z0-9])(?P<num>(?=[A-Za-z]{0,3}\d)[A-Za-z0-9]{6,9})(?![A-Za-z0-9])"
)

_DNI_RE = re.compile(r"(?<![\w-])\d{8}[- ]?[A-Za-z](?!\w)")
_NIE_RE = re.compile(r"(?<![\w-])[XYZxyz][- ]?\d{7}[- ]?[A-Za-z](?!\w)")
# UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O never second), six digits, A-D.
_NINO_RE = re.compile(r"(?<![\w-])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)")
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
_SSN_RE = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_NIR_RE = re.compile(r"(?<![\w-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\w)")
_CF_RE = re.compile(r"(?<![\w-])[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z](?!\w)")
_AADHAAR_RE = re.compile(r"(?<![\w-])[2-9]\d{3} \d{4} \d{4}(?![\w-])")
# Identifiers with no shape of their own: nine or eleven bare digits after the word that names them.
_CUED_RE = re.compile(
    r"(?i:\b(?P<cue>ssn|social\s{1,3}security(?:\s{1,3}(?:number|no\.?))?|bsn|burgerservicenummer"
    r"|steuer-?id|steueridentifikationsnummer|aadhaar|aadhar))\b[^\n\d]{0,20}?"
    r"(?<![\w-])(?P<num>\d{3}[- ]?\d{2}[- ]?\d{4}|\d{9}|\d{11}|\d{4} ?\d{4} ?\d{4})(?![\w-])"
)
_NON_ALNUM_RE = re.compile(r"[^A-Za-z0-9]")
_IBAN_DAT_RE = re.compile(r"^([A-Z]{2}) [^\n]{0,200}?bban=\"([^\"]{1,100})\"", re.M)
_BBAN_PART_RE = re.compile(r"(\d{1,3})!?[nace]")
_NON_DIGIT_RE = re.compile(r"\D")


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


def may_hold_email(text: str) -> bool:
    return "@" in text and EMAIL_GATE_RE.search(text) is not None


def emails(text: str) -> Iterator[PiiSpan]:
    if not may_hold_email(text):
        return
    for match in EMAIL_RE.finditer(text):
        yield PiiSpan("email", match.start(), match.end(), match.group().lower())


def cards(text: str) -> Iterator[PiiSpan]:
    for match in CARD_RE.finditer(text):
        digits = _NON_DIGIT_RE.sub("", match.group())
        # Payment cards start 2-6 (Mastercard 2-series, Amex/Diners 3, Visa 4, Mastercard 5, Discover 6).
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits):
            yield PiiSpan("card", match.start(), match.end(), digits)


@cache
def iban_lengths() -> dict[str, int]:
    """The length of an IBAN in each country of python-stdnum's copy of the SWIFT registry."""
    registry = resources.files("stdnum").joinpath("iban.dat").read_text(encoding="utf-8")
    lengths = {}
    for match in _IBAN_DAT_RE.finditer(registry):
        lengths[match.group(1)] = 4 + sum(int(n) for n in _BBAN_PART_RE.findall(match.group(2)))
    return lengths


def ibans(text: str) -> Iterator[PiiSpan]:
    """IBANs of their country's length that pass the mod-97 check; a word run on after one is trimmed."""
    lengths = iban_lengths()
    for match in IBAN_RE.finditer(text):
        raw = match.group()
        compact = _NON_ALNUM_RE.sub("", raw).upper()
        length = lengths.get(compact[:2], 0)
        if length and len(compact) >= length and std_iban.is_valid(compact[:length]):
            end = [i + 1 for i, ch in enumerate(raw) if ch.isalnum()][length - 1]
            yield PiiSpan("iban", match.start(), match.start() + end, compact[:length])


def _nino_valid(value: str) -> bool:
    return value[:2] not in _NINO_BAD_PREFIXES


def _shaped(pattern: re.Pattern[str], valid: Callable[[str], bool], text: str) -> Iterator[PiiSpan]:
    for match in pattern.finditer(text):
        value = _NON_ALNUM_RE.sub("", match.group()).upper()
        if valid(value):
            yield PiiSpan("national_id", match.start(), match.end(), value)


_SHAPED: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (_DNI_RE, dni.is_valid),
    (_NIE_RE, nie.is_valid),
    (_NINO_RE, _nino_valid),
    (_SSN_RE, ssn.is_valid),
    (_NIR_RE, nir.is_valid),
    (_CF_RE, codicefiscale.is_valid),
    (_AADHAAR_RE, aadhaar.is_valid),
)


def _cued_valid(cue: str, number: str) -> bool:
    cue = cue.lower()
    if cue.startswith(("ssn", "social")):
        return ssn.is_valid(number)
    if cue.startswith(("bsn", "burger")):
        return bsn.is_valid(number)
    if cue.startswith("steuer"):
        return idnr.is_valid(number)
    return aadhaar.is_valid(number)


def national_ids(text: str) -> Iterator[PiiSpan]:
    """Spanish DNI/NIE, UK NINO, US SSN, French NIR, Italian codice fiscale, Indian Aadhaar, each by its
    shape and checksum; a US SSN, Dutch BSN, German tax id or Aadhaar written bare only after its name."""
    for pattern, valid in _SHAPED:
        yield from _shaped(pattern, valid, text)
    for match in _CUED_RE.finditer(text):
        number = _NON_DIGIT_RE.sub("", match.group("num"))
        if _cued_valid(match.group("cue"), number):
            yield PiiSpan("national_id", match.start("num"), match.end("num"), number)


def passports(text: str) -> Iterator[PiiSpan]:
    """Passport numbers (6-9 letters and digits, at least two digits) within 30 characters after the word
    passport in English, Spanish, French, German, Italian, Dutch, Polish or Portuguese: no check digit
    exists for most countries, so the word is required."""
    for match in PASSPORT_RE.finditer(text):
        number = match.group("num")
        if sum(ch.isdigit() for ch in number) >= 2:
            yield PiiSpan("passport", match.start("num"), match.end("num"), number.upper())


def booking_refs_in(text: str) -> Iterator[PiiSpan]:
    """Booking references announced by context ("booking ref ABC123", "confirmation #X7K2QP")."""
    for match in BOOKING_RE.finditer(text):
        yield PiiSpan("booking_ref", match.start("ref"), match.end("ref"), match.group("ref").upper())
