"""Phone numbers in international and national formats for many regions, through Google's libphonenumber.

A candidate is a run of 7-15 digits with the separators people write ("020 7946 0958", "612 34 56 78",
"+33 6 12 34 56 78", "0049 30 1234567"). With "+" or "00" it must be a valid international number; in
national format it must be valid for the workspace's region or one of ``COMMON_REGIONS``, and where that
region dials a trunk "0" the number must start with it (so "3214567" is not a German number). Dates,
amounts and numbers announced as something else (flight, ticket, order, case...) are not phones.
The candidate scan is one bounded pattern; past ``MAX_PARSES`` candidates in one text, every remaining
candidate of seven digits or more is masked without parsing, so a megabyte of digits finishes in seconds.

    >>> [s.value for s in phones("ring 020 7946 0958 or +34 612 34 56 78", "US")]
    ['+442079460958', '+34612345678']
    >>> [s.value for s in phones("móvil 612 34 56 78", "US")]
    ['+34612345678']
    >>> list(phones("flight 0123456789 on 24/02/2015, order 612345678", "US"))
    []
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

import phonenumbers

from parallax.enrich.pii.spans import PiiSpan

# The workspace's region is tried first, then these, in order; the first region that validates wins.
# Mexico and Poland are left out of the national-format list (any ten or nine digits are nearly always valid
# there, so digit groups inside other numbers would be taken for phones); "+52" and "+48" numbers count,
# and so do national ones in a workspace whose region is MX or PL.
COMMON_REGIONS: tuple[str, ...] = (
    "US", "GB", "ES", "FR", "DE", "IT", "NL", "IE", "PT", "BE", "CH", "AT", "SE", "BR", "IN", "CA", "AU",
)  # fmt: skip
MIN_DIGITS, MAX_DIGITS = 7, 15
MAX_PARSES = 500

CANDIDATE_RE = re.compile(r"(?<![\w+@/.,-])(?:\+|00)?\(?\d[\d \u00a0().\-/]{5,21}\d(?![\w/@])")
_DATE_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_CURRENCY_BEFORE_RE = re.compile(r"(?i:[$£€¥₹]|\b(?:usd|eur|gbp|mxn|inr|chf|aed))\s?\(?$")
_CURRENCY_AFTER_RE = re.compile(r"(?i:\s?(?:[$£€¥₹]|(?:usd|eur|gbp|mxn|inr|chf|euros?|dollars?|pounds?)\b))")
# The last word before a national-format number, when it says the number is something else.
_LAST_WORD_RE = re.compile(
    r"([A-Za-zÀ-ÿ]{1,20})\.?\s{0,3}(?:[:#]|n[º°o]\.?|no\.?|nr\.?|number|num)?\s{0,3}$"
)  # fmt: skip
_NOT_A_PHONE = frozenset(
    {
        "flight", "flt", "vuelo", "vol", "flug", "volo", "ticket", "tkt", "billete", "billet", "order",
        "pedido", "commande", "bestellung", "invoice", "factura", "facture", "rechnung", "case", "caso",
        "complaint", "claim", "ref", "reference", "referencia", "référence", "booking", "reserva",
        "confirmation", "pnr", "account", "acct", "cuenta", "compte", "konto", "member", "membership",
        "miles", "loyalty", "id", "tracking", "tag", "receipt", "recibo", "transaction", "txn", "seat",
        "gate", "terminal", "room", "zip", "postcode", "passport", "pasaporte", "passeport", "reisepass",
        "dni", "nie", "ssn", "iban", "card", "tarjeta", "carte", "karte", "serial", "incident",
        "ticketnumber",
    }
)  # fmt: skip
_NON_DIGIT_RE = re.compile(r"\D")
_SEPARATOR_RE = re.compile(r"[ \u00a0().\-/]")


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


@cache
def _trunk_prefix(region: str) -> str | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return None if metadata is None else metadata.national_prefix


def regions_for(region: str) -> tuple[str, ...]:
    """The workspace's region first, then the common ones."""
    return (region, *(r for r in COMMON_REGIONS if r != region))


def parse_candidate(raw: str, regions: Sequence[str]) -> str | None:
    """The E.164 form of ``raw`` when it is a valid number in international or some region's national form."""
    stripped = raw.lstrip("(")
    if stripped.startswith(("+", "00")):
        return to_e164("+" + stripped[2:] if stripped.startswith("00") else stripped, "ZZ")
    digits = _NON_DIGIT_RE.sub("", raw)
    for region in regions:
        prefix = _trunk_prefix(region)
        if prefix == "0" and not digits.startswith("0"):
            continue
        found = to_e164(raw, region)
        if found is not None:
            return found
    return None


def _excluded(text: str, start: int, end: int, raw: str) -> bool:
    """Dates, amounts, and national-format numbers announced as something else."""
    if _DATE_RE.fullmatch(raw.strip("()")):
        return True
    before = text[max(0, start - 30) : start]
    if _CURRENCY_BEFORE_RE.search(before) or _CURRENCY_AFTER_RE.match(text, end):
        return True
    if raw.lstrip("(").startswith(("+", "00")):
        return False
    word = _LAST_WORD_RE.search(before)
    return word is not None and word.group(1).lower() in _NOT_A_PHONE


def _group_ends(raw: str) -> list[int]:
    """Offsets in ``raw`` where a digit group ends, longest first (the whole candidate, then shorter)."""
    ends = [m.start() for m in _SEPARATOR_RE.finditer(raw) if m.start() > 0 and raw[m.start() - 1].isdigit()]
    return [len(raw), *reversed(ends)]


def _first_phone(text: str, match: re.Match[str], regions: Sequence[str]) -> tuple[PiiSpan | None, int]:
    """The phone that starts ``match`` (the whole run, then up to three trailing groups dropped), and the
    number of candidates parsed."""
    raw, start, parsed = match.group(), match.start(), 0
    for end in _group_ends(raw)[:4]:
        part = raw[:end].rstrip(" \u00a0(.-/")
        if not MIN_DIGITS <= len(_NON_DIGIT_RE.sub("", part)) <= MAX_DIGITS + 2:
            continue
        parsed += 1
        if _excluded(text, start, start + len(part), part):
            continue
        value = parse_candidate(part, regions)
        if value is not None:
            return PiiSpan("phone", start, start + len(part), value), parsed
    return None, parsed


def phones(text: str, region: str = "US") -> Iterator[PiiSpan]:
    """Valid phone numbers in ``text`` (see the module docstring for what counts)."""
    regions = regions_for(region)
    parses, pos = 0, 0
    while (match := CANDIDATE_RE.search(text, pos)) is not None:
        raw, start = match.group(), match.start()
        if parses >= MAX_PARSES:  # over budget: mask without parsing
            if len(_NON_DIGIT_RE.sub("", raw)) >= MIN_DIGITS:
                yield PiiSpan("phone", start, match.end(), _NON_DIGIT_RE.sub("", raw))
            pos = match.end()
            continue
        found, parsed = _first_phone(text, match, regions)
        parses += parsed
        if found is not None:
            yield found
            pos = found.end
        else:  # try again from the next digit group, so a number after a stray one is still found
            nxt = _SEPARATOR_RE.search(raw)
            pos = start + nxt.end() if nxt is not None and nxt.end() < len(raw) else match.end()
