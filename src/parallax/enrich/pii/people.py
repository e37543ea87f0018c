"""Personal names and postal addresses by rule: the fallback that works without the named-entity model.

Names count after a cue that introduces a person ("my name is", "me llamo", "je m'appelle", "ich heiße",
a title such as Mr, Mrs, Dr, Sra., Mme, Herr, or a sign-off such as "Regards," before a name that ends a
sentence or line).
Addresses count as a house number next to a street word (Street, Rd, Calle, Avenida, rue, Straße, Via...)
in English, Spanish, French, German, Italian and Dutch order, with a postcode and town that follow; UK
postcodes count on their own (their shape is distinctive). Every pattern is bounded.

    >>> [s.value for s in names("Hi, my name is Sarah O'Connor and I'm furious")]
    ["Sarah O'Connor"]
    >>> [s.value for s in addresses("send it to 221B Baker Street, London NW1 6XE please")]
    ['221B Baker Street, London NW1 6XE']
    >>> [s.value for s in addresses("vivo en Calle de Alcalá 45, 28014 Madrid")]
    ['Calle de Alcalá 45, 28014 Madrid']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parallax.enrich.pii.spans import PiiSpan, choose

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zà-öø-ÿß"
# One capitalised name word ("Sarah", "O'Connor", "García-López", "McDonald").
_APOSTROPHES = "'\u2019"
_WORD = rf"[{_UP}](?:[{_APOSTROPHES}][{_UP}])?[{_LOW}][{_LOW}{_UP}{_APOSTROPHES}-]{{0,20}}"
_NAME = rf"{_WORD}(?:[ ](?:(?:de|del|da|di|van|von|der|la|le|y|dos)[ ]){{0,2}}{_WORD}){{0,3}}"

_CUES = (
    r"my\s{1,3}name\s{1,3}is|my\s{1,3}name's|this\s{1,3}is|i\s{0,1}am|i'm|name:|passenger|pasajer[oa]"
    r"|me\s{1,3}llamo|mi\s{1,3}nombre\s{1,3}es|soy|je\s{1,3}m'appelle|je\s{1,3}suis|mon\s{1,3}nom\s{1,3}est"
    r"|ich\s{1,3}hei(?:ß|ss)e|mein\s{1,3}name\s{1,3}ist|mi\s{1,3}chiamo|mijn\s{1,3}naam\s{1,3}is"
)
_TITLES = r"mr|mrs|ms|miss|mx|dr|prof|sr|sra|srta|señor|señora|don|doña|mme|mlle|m|herr|frau|sig|sig\.ra"
NAME_CUE_RE = re.compile(rf"(?i:\b(?:{_CUES}))[ ]{{1,3}}(?P<name>{_NAME})")
NAME_TITLE_RE = re.compile(rf"(?i:\b(?:{_TITLES}))\.?[ ]{{1,3}}(?P<name>{_NAME})")
_SIGNOFFS = (
    r"regards|kind\s{1,3}regards|best\s{1,3}regards|best|thanks|thank\s{1,3}you|cheers|sincerely|yours"
    r"|saludos|atentamente|gracias|cordialement|merci|grüße|gruß|mit\s{1,3}freundlichen\s{1,3}grüßen"
    r"|saluti|cordiali\s{1,3}saluti|groeten|met\s{1,3}vriendelijke\s{1,3}groet"
)
NAME_SIGNOFF_RE = re.compile(
    rf"(?i:\b(?:{_SIGNOFFS}))[ ]{{0,3}}[,!.]?[ ]{{0,3}}(?:\n[ ]{{0,3}}|[ ]{{0,3}}-[ ]{{0,3}}|[ ]{{0,3}})"
    rf"(?P<name>{_NAME})(?=[ ]{{0,3}}(?:[.!,]|$))",
    re.M,
)
# Words a cue is often followed by that are not names ("I'm Very Upset", "this is United").
NOT_NAMES = frozenset(
    {
        "loan", "loans", "lending", "bank", "mortgage", "credit", "proof", "verifiable", "name", "services",
        "financial", "capital", "bureau", "bureaus", "mailed", "certified", "claimant", "madam", "sir",
        "mother", "father", "clerk", "principal", "incorrect", "premium", "user", "manager", "support",
        "very", "so", "not", "still", "really", "just", "the", "a", "an", "on", "in", "at", "flying",
        "going", "done", "never", "again", "sorry", "happy", "sad", "angry", "upset", "furious", "stuck",
        "waiting", "here", "there", "now", "today", "tomorrow", "yesterday", "ridiculous", "unacceptable",
        "terrible", "great", "good", "bad", "united", "delta", "american", "southwest", "jetblue", "virgin",
        "ryanair", "iberia", "lufthansa", "klm", "easyjet", "vueling", "air", "airlines", "airways",
        "british", "thank", "thanks", "please", "customer", "gold", "platinum", "silver", "executive",
        "premier", "disappointed", "cliente", "muy", "très", "sehr", "airline", "airport", "lounge",
        "captain", "crew", "passport", "pasaporte", "passeport", "reisepass", "dni", "nie", "iban", "it",
        "this", "that", "what", "why", "how", "when", "no", "yes", "ok", "your", "our", "my", "their",
        "his", "her", "all", "everyone", "team", "flight", "hi", "hello",
    }
)  # fmt: skip

_STREET_WORDS_AFTER = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Close"
    r"|Crescent|Square|Sq|Gardens|Grove|Parkway|Pkwy|Highway|Hwy|Mews|Row|Walk|Hill"
)
# Street words that come first; the first group in any case, the second (common words too) capitalised only.
_STREET_WORDS_BEFORE = (
    r"(?i:calle|c/|avenida|avda\.?|av\.|paseo|carrer|travesía|rue|allée|chemin|impasse|straße)"
    r"|Plaza|Pza\.?|Camino|Ronda|Avenue|Boulevard|Bd|Place|Quai|Via|Viale|Piazza|Corso|Largo|Rua|Praça"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"
_US_ZIP_TAIL = r"[A-Z]{2}[ ]\d{5}(?:-\d{4})?"
_TOWN = rf"{_WORD}(?:[ ]{_WORD}){{0,2}}"
# What may follow a street: ", London NW1 6XE", ", 28014 Madrid", ", Springfield, IL 62704", "75002 Paris".
# A town only after a comma, so the next sentence's first word is not taken for one.
_TAIL = (
    rf"(?:(?:,[ ]{{0,2}}|[ ]{{1,2}})(?:\d{{4,5}}[ ]{_TOWN}|{_UK_POSTCODE}|{_US_ZIP_TAIL})"
    rf"|,[ ]{{0,2}}{_TOWN}(?:,?[ ]{{1,2}}(?:{_UK_POSTCODE}|{_US_ZIP_TAIL}|\d{{4,5}}))?){{0,2}}"
)
_NUMBER = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4})?"
ADDRESS_NUMBER_FIRST_RE = re.compile(
    rf"(?<![\w/.-]){_NUMBER},?[ ](?:{_WORD}[ ]){{1,4}}(?:{_STREET_WORDS_AFTER})\b\.?(?P<tail>{_TAIL})"
)
ADDRESS_STREET_FIRST_RE = re.compile(
    rf"(?<![\w])(?:{_STREET_WORDS_BEFORE})[ ](?:(?:de|del|de la|des|du|di|della|do|da)[ ]{{1,2}}){{0,2}}"
    rf"{_WORD}(?:[ ]{_WORD}){{0,3}},?[ ]{{0,2}}(?:n[º°o]\.?[ ]?)?{_NUMBER}(?![\w])(?P<tail>{_TAIL})"
)
# Number after the street, German and Dutch style: "Hauptstraße 5", "Musterstr. 12a", "Keizersgracht 123".
ADDRESS_COMPOUND_RE = re.compile(
    rf"(?<![\w])[{_UP}][{_LOW}-]{{2,30}}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|gracht|laan"
    rf"|straat|plein|kade)[ ]{_NUMBER}(?![\w])(?P<tail>{_TAIL})"
)
UK_POSTCODE_RE = re.compile(rf"(?<![\w]){_UK_POSTCODE}(?![\w])")
# French order with the street word lower-case: "12 rue de la Paix", "5 avenue Victor Hugo".
ADDRESS_FR_RE = re.compile(
    rf"(?<![\w/.-]){_NUMBER},?[ ](?:bis[ ]|ter[ ])?"
    rf"(?:rue|avenue|boulevard|bd|allée|chemin|impasse|place|quai)"
    rf"[ ](?:(?:de|du|des|de la|de l')[ ]?){{0,2}}{_WORD}(?:[ ]{_WORD}){{0,3}}(?P<tail>{_TAIL})"
)
_ADDRESS_RES = (ADDRESS_NUMBER_FIRST_RE, ADDRESS_STREET_FIRST_RE, ADDRESS_COMPOUND_RE, ADDRESS_FR_RE)


def _name_span(match: re.Match[str]) -> PiiSpan | None:
    name = match.group("name")
    words = name.split()
    while words and words[-1].lower() in NOT_NAMES:  # "Sarah Thanks" -> "Sarah"
        words.pop()
    if not words or words[0].lower() in NOT_NAMES:
        return None
    value = " ".join(words)
    start = match.start("name")
    return PiiSpan("name", start, start + len(value), value)


def names(text: str) -> Iterator[PiiSpan]:
    """Names after a cue, a title or a sign-off (see the module docstring)."""
    for pattern in (NAME_CUE_RE, NAME_TITLE_RE, NAME_SIGNOFF_RE):
        for match in pattern.finditer(text):
            span = _name_span(match)
            if span is not None:
                yield span


def addresses(text: str) -> Iterator[PiiSpan]:
    """Street addresses with what follows them (town, postcode), and UK postcodes alone."""
    found: list[PiiSpan] = []
    for pattern in _ADDRESS_RES:
        for match in pattern.finditer(text):
            value = match.group().rstrip(" ,")
            found.append(PiiSpan("address", match.start(), match.start() + len(value), value))
    found.extend(PiiSpan("address", m.start(), m.end(), m.group()) for m in UK_POSTCODE_RE.finditer(text))
    yield from choose(found)  # the longest of overlapping readings
