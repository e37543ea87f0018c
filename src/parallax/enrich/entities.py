"""Entities that feed segments and identity: flights, airports, routes, booking refs, orders, contacts.

Airport codes come from ``airportsdata`` and count only in context (a route, "from/to/at/via XXX", "#XXX",
"XXX airport/gate/terminal"), never in mostly upper-case text outside a route, and never when the code is a
stop-listed English word unless it sits in an explicit route. Emails, phones and booking refs are personal
identifiers: only their ``stable_hash`` is kept (keys ``email_hash``, ``phone_hash``, ``booking_ref_hash``).

Example:
    >>> found = extract_entities("@united UA 1234 from JFK to LAX was 3h late, call me at 415-555-2671")
    >>> found["flight_number"], found["route"], found["airport"], found["handle"]
    (['UA1234'], ['JFK-LAX'], ['JFK', 'LAX'], ['@united'])
    >>> len(found["phone_hash"][0])
    64
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parallax.enrich.airports import city_codes, iata_airports, stop_codes
from parallax.enrich.pii import booking_refs_in, find_pii, may_hold_contact
from parallax.enrich.pipeline import Enriched
from parallax.kit.ids import stable_hash

# Carriers whose designators are recognised without the word "flight" nearby; others need it.
_CARRIERS = (
    "AA UA DL WN B6 NK F9 G4 HA VX AC WS BA LH AF KL EK QR EY TK SQ CX QF NH JL LX OS SK AY IB VS EI FR U2 "
    "LA AV CM KE OZ CA MU CZ AI ET SA MS SV NZ VA QK YX OO MQ 9E"
)
KNOWN_CARRIERS = frozenset(_CARRIERS.split())
# Designators that are also everyday words/abbreviations ("US 2015", "AS 100"): need the word "flight".
AMBIGUOUS_CARRIERS = frozenset({"US", "AS", "AM", "IN", "NO", "TO", "ME", "MY", "OR", "SO", "UP", "BE"})
# Possessive spaces (``\s*+``): "flight" followed by thousands of blanks must not be retried at every
# split of them (that was quadratic: 13 s for 10,000 blanks).
FLIGHT_RE = re.compile(
    r"(?P<ctx>\b(?i:flight|flt|fl)\s*+(?:(?:#|no\.?|number)\s*+)?)?"
    r"\b(?P<des>[A-Z][A-Z0-9]|[0-9][A-Z])\s?-?(?P<num>[0-9]{1,4})[A-Z]?\b"
)
BARE_FLIGHT_RE = re.compile(r"\b(?i:flight|flt)\s*+(?:(?:#|no\.?|number)\s*+)?(?P<num>[0-9]{2,4})\b")
CODE = r"[A-Z]{3}"
ROUTE_RE = re.compile(rf"\b(?P<a>{CODE})\s?(?:-|\u2013|>|->|\u2192|/|\s(?i:to)\s)\s?(?P<b>{CODE})\b")
CONTEXT_BEFORE = re.compile(
    r"(?i:\b(?:from|to|at|in|into|via|through|thru|out\s+of|leaving|departing|landed|land|arriving|"
    r"arrive|stuck|stranded|connecting|connection|layover)\s+|#)$"
)
CONTEXT_AFTER = re.compile(r"^\s+(?i:airport|gate|terminal|tsa|security|lounge|hub)\b")
CODE_RE = re.compile(rf"(?<![\w#@])#?(?P<code>{CODE})\b")
CITY_ROUTE_RE = re.compile(
    r"\b(?i:from)\s+(?P<a>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})\s+(?i:to)\s+(?P<b>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})"
)
ORDER_RE = re.compile(
    r"\b(?i:order)\s*+(?:(?i:number|no\.?|num|id)\s*+)?(?:[:#]\s*+)?(?P<order>(?=[A-Z0-9-]*\d{4})[A-Z0-9][A-Z0-9-]{4,24})\b"
)
HANDLE_RE = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_]{1,30})\b")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# Necessary conditions, each far cheaper than the patterns they guard: a designator next to a digit
# (FLIGHT_RE), a three-letter upper-case run (CODE_RE) and two of them (ROUTE_RE).
_DESIGNATOR_RE = re.compile(r"(?:[A-Z][A-Z0-9]|[0-9][A-Z])\s?-?[0-9]")
_CODE_RUN_RE = re.compile(r"[A-Z]{3}")
_CODE_PAIR_RE = re.compile(r"[A-Z]{3}.*?[A-Z]{3}", re.DOTALL)
_DIGIT_RE = re.compile(r"[0-9]")
_BOOKING_WORDS = ("booking", "confirmation", "reservation", "locator", "pnr", "conf")


_NOT_UPPER = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isupper())
_NOT_LOWER = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).islower())


def _mostly_upper(text: str) -> bool:
    """Shouted text (over 60% of at least 12 ASCII letters upper case): codes there are just words."""
    # Counted by deleting every other byte of the UTF-8 text (bytes of non-ASCII characters are >= 128).
    raw = text.encode()
    upper, lower = len(raw.translate(None, _NOT_UPPER)), len(raw.translate(None, _NOT_LOWER))
    return upper + lower >= 12 and upper > 0.6 * (upper + lower)


def flight_numbers(text: str) -> list[str]:
    """Flight numbers as designator + number ("UA1234"); "flight 1234" alone gives the bare number."""
    found = []
    for match in FLIGHT_RE.finditer(text):
        designator, has_context = match.group("des"), match.group("ctx") is not None
        known = designator in KNOWN_CARRIERS and designator not in AMBIGUOUS_CARRIERS
        if not known and not has_context:
            continue
        found.append(f"{designator}{int(match.group('num'))}")
    if not found:
        found = [str(int(match.group("num"))) for match in BARE_FLIGHT_RE.finditer(text)]
    return _unique(found)


def routes(text: str) -> list[str]:
    """Routes as "AAA-BBB", from code pairs ("JFK-LAX", "JFK to LAX") or "from <city> to <city>"."""
    found = []
    if _CODE_PAIR_RE.search(text):
        pairs = [(m.group("a"), m.group("b")) for m in ROUTE_RE.finditer(text)]
        shouting = bool(pairs) and _mostly_upper(text)  # only a pair found needs it
        found = [f"{a}-{b}" for a, b in pairs if _route_ends_ok(a, b, shouting)]
    lowered = text.lower()
    if "from" in lowered and "to" in lowered:
        cities = city_codes()
        for match in CITY_ROUTE_RE.finditer(text):
            origin = _city_code(match.group("a"), cities)
            destination = _city_code(match.group("b"), cities)
            if origin and destination and origin != destination:
                found.append(f"{origin}-{destination}")
    return _unique(found)


def _route_ends_ok(origin: str, destination: str, shouting: bool) -> bool:
    """Both ends are airports, differ, and at most one is a stop word (none when the text shouts)."""
    airports, stops = iata_airports(), stop_codes()
    if origin == destination or origin not in airports or destination not in airports:
        return False
    stopped = (origin in stops) + (destination in stops)
    return stopped == 0 or (stopped == 1 and not shouting)


def _city_code(phrase: str, cities: dict[str, str]) -> str | None:
    """The longest leading run of words in ``phrase`` that names a city with a main airport."""
    words = phrase.split()
    for size in range(len(words), 0, -1):
        code = cities.get(" ".join(words[:size]).lower())
        if code:
            return code
    return None


def airport_codes(text: str, route_list: list[str] | None = None) -> list[str]:
    """IATA airport codes mentioned in context; route ends always count."""
    route_list = routes(text) if route_list is None else route_list
    found = [code for route in route_list for code in route.split("-")]
    airports, stops = iata_airports(), stop_codes()
    if not _CODE_RUN_RE.search(text):
        return _unique(found)
    candidates = [m for m in CODE_RE.finditer(text) if m.group("code") in airports]
    candidates = [m for m in candidates if m.group("code") not in stops]
    if candidates and not _mostly_upper(text):  # the shouting test only once a code is in question
        for match in candidates:
            hashtag = match.group().startswith("#")
            # A window on each side: copying the rest of the text per candidate was quadratic in its length.
            before = text[max(0, match.start() - 30) : match.start()]
            after = text[match.end() : match.end() + 40]
            if hashtag or CONTEXT_BEFORE.search(before) or CONTEXT_AFTER.match(after):
                found.append(match.group("code"))
    return _unique(found)


def extract_entities(text: str, region: str = "US") -> dict[str, list[str]]:
    """Every entity kind found in ``text``; personal identifiers only as hashes. Empty kinds are left out."""
    lowered = text.lower()
    # Each kind behind a cheap gate: most messages mention no code, order, booking or contact at all.
    found: dict[str, list[str]] = {}
    if _DESIGNATOR_RE.search(text) or ("fl" in lowered and _DIGIT_RE.search(text)):
        found["flight_number"] = flight_numbers(text)
    found["route"] = route_list = routes(text)
    found["airport"] = airport_codes(text, route_list)
    if any(word in lowered for word in _BOOKING_WORDS):
        found["booking_ref_hash"] = _unique(stable_hash(s.value) for s in booking_refs_in(text))
    if "order" in lowered:
        found["order_number"] = _unique(m.group("order").upper() for m in ORDER_RE.finditer(text))
    if may_hold_contact(text):
        pii = find_pii(text, region=region, kinds=("email", "phone", "card"), model=False)
        found["email_hash"] = _unique(stable_hash(span.value) for span in pii if span.kind == "email")
        found["phone_hash"] = _unique(stable_hash(span.value) for span in pii if span.kind == "phone")
    if "@" in text:
        found["handle"] = _unique(f"@{m.group('handle').lower()}" for m in HANDLE_RE.finditer(text))
    return {kind: values for kind, values in found.items() if values}


class EntitiesStep:
    """Pipeline step: fills ``entities`` from the raw text held in memory (never stored unredacted)."""

    name = "entities"
    version = "1"

    def __init__(self, region: str = "US") -> None:
        self.region = region

    def apply(self, batch: list[Enriched]) -> None:
        for item in batch:
            item.entities = extract_entities(item.text, region=self.region)


def make_step(tier: str) -> EntitiesStep:
    """Registry factory: the same rules at every tier."""
    return EntitiesStep()
