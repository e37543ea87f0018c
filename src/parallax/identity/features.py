"""What probabilistic linkage compares: one ``PersonRecord`` per customer (or per deterministic cluster).

Raw identifiers never leave this process: the record holds letter stems of names, emails and handles,
booking refs, routes and active days, built in memory from interactions and dropped after scoring.

Example:
    >>> letters("Maria.Garcia_82")
    'mariagarcia'
    >>> name_key("  Dr. María   GARCÍA ")
    'maria garcia'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from parallax.identity.views import InteractionView

TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir"})
NON_LETTERS = re.compile(r"[^a-z]")
MIN_STEM = 4
# Channels that show only a display name: reviews on travel sites and app stores.
REVIEW_CHANNELS = frozenset({"review", "app_store"})
# Shorter surnames (Ito, Xu) turn up inside unrelated handles by chance.
MIN_SURNAME = 4
# A booking ref a customer typed: six capitals/digits with a letter, after a word announcing it. Airline
# locators are often all letters (TJPXTL); such a ref is taken only from text not written in capitals, where
# capitals stand out as a code (in 'REF LONDON' or a shouted 'BOOKING IS LOST', they need not be one).
# Spaces are possessive (``\s*+``): a cue word then a long run of blanks is not retried at every split.
MENTIONED_REF = re.compile(
    r"(?i:\b(?:ref(?:erence)?|booking|pnr|confirmation|reservation|locator)\b"
    r"(?:\s++(?:ref(?:erence)?|code|number|no\.?|is))?\s*+(?:[:#]\s*+)?)"
    r"(?P<ref>(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6})\b"
)
# A flight number a customer typed: an airline's two-letter code and one to four digits ('PX240', 'BA 117').
MENTIONED_FLIGHT = re.compile(r"\b(?P<airline>[A-Z]{2}) ?(?P<number>[0-9]{1,4})\b")
# A route a reviewer typed as two airport codes: 'JFK-LHR', 'Flew LHR to MAD'.
MENTIONED_ROUTE = re.compile(r"\b(?P<origin>[A-Z]{3})(?:-| to )(?P<destination>[A-Z]{3})\b")
# A code someone may have copied from a helpdesk: a few letters at most, then digits ('T000474', '#48213').
# Only the workspace's own tickets count (``ticket_vocabulary``): a loyalty number or a year is not one.
MENTIONED_CODE = re.compile(r"\b[A-Za-z]{0,3}[0-9]{4,10}\b")
# People post about a trip on its day or the next; reviews come a few days later (review sites ask for the
# date of travel; where a row does not carry it, a review is taken to be about a trip in the days before).
POST_LAG_DAYS = 1
REVIEW_LAG_DAYS = 3


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def letters(text: str) -> str:
    """Letters only, lower-case ASCII: ``maria_g82`` and ``maria.g`` share the stem ``mariag``."""
    return NON_LETTERS.sub("", _ascii(text))


def name_key(text: str) -> str:
    """A person's name as words of letters, without titles, lower-case ASCII."""
    words = [NON_LETTERS.sub("", w) for w in _ascii(text).replace(".", " ").split()]
    return " ".join(w for w in words if w and w not in TITLES)


@dataclass(frozen=True)
class PersonRecord:
    """One side of a probabilistic comparison; ``key`` is a customer id (or a cluster key).

    ``stems`` come from email local parts and handles only, so a name is not counted twice; the name's
    own stem is compared against the other side's stems by the name comparison.
    """

    key: int
    name: str | None
    first_name: str | None
    last_name: str | None
    name_stem: str | None
    stems: tuple[str, ...]
    booking_refs: tuple[str, ...]
    trips: tuple[str, ...]
    routes: tuple[str, ...]
    days: tuple[str, ...]
    # Flight-days a booking-backed row (a survey, sent to the booking's email) puts this customer on.
    booked_trips: tuple[str, ...] = ()
    # Route and day of travel ('LHR-AMS@2026-03-08'): a survey's trip date, else the days a post or a
    # review may be about. Weaker than a flight-day (several flights a day), stronger than a route alone.
    route_days: tuple[str, ...] = ()
    # Those of rows that name no flight, nor fall on a route-day this customer is known to have flown:
    # a trip whose flight is unknown. Two known flights on one route-day are two trips, not one.
    loose_route_days: tuple[str, ...] = ()
    # Helpdesk tickets this customer is on, and codes typed in their messages that may name one.
    tickets: tuple[str, ...] = ()
    mentioned_codes: tuple[str, ...] = ()

    def name_forms(self) -> tuple[str, ...]:
        """How people build handles and email local parts from this full name: ``annlee``, ``leeann``,
        ``alee``, ``leea``, ``annl``.

        >>> PersonRecord(1, "ann lee", "ann", "lee", "annlee", (), (), (), (), ()).name_forms()
        ('alee', 'annl', 'annlee', 'leea', 'leeann')
        """
        f, last = self.first_name, self.last_name
        if not f or not last or len(f) < 2 or len(last) < 2:
            return ()
        return tuple(sorted({f + last, last + f, f[0] + last, last + f[0], f + last[0]}))

    def surnames(self, vocabulary: frozenset[str]) -> tuple[str, ...]:
        """The surname of the full name, and any known surname a handle or email spells out.

        >>> PersonRecord(1, "hamza", "hamza", None, "hamza", ("hbrennan",), (), (), (), ()).surnames(
        ...     frozenset({"brennan", "bakker"}))
        ('brennan',)
        """
        found = {self.last_name} if self.last_name and len(self.last_name) > 1 else set()
        for stem in self.stems:
            found |= {
                stem[i:j]
                for i in range(len(stem))
                for j in range(i + MIN_SURNAME, len(stem) + 1)
                if stem[i:j] in vocabulary
            }
        return tuple(sorted(found))

    def ticket_refs(self, known: frozenset[str]) -> tuple[str, ...]:
        """This customer's tickets and the known tickets their messages name ('they closed T000474').

        >>> PersonRecord(1, None, None, None, None, (), (), (), (), (), mentioned_codes=("T000474", "2026")
        ...     ).ticket_refs(frozenset({"T000474"}))
        ('T000474',)
        """
        return tuple(sorted(set(self.tickets) | (set(self.mentioned_codes) & known)))

    def as_row(self) -> dict[str, object]:
        return {
            "unique_id": self.key,
            "name": self.name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "name_stem": self.name_stem,
            "stems": list(self.stems) or None,
            "booking_refs": list(self.booking_refs) or None,
            "trips": list(self.trips) or None,
            "routes": list(self.routes) or None,
            "days": list(self.days) or None,
            "booked_trips": list(self.booked_trips) or None,
            "route_days": list(self.route_days) or None,
            "loose_route_days": list(self.loose_route_days) or None,
            "name_forms": list(self.name_forms()) or None,
        }


def surname_vocabulary(records: Iterable[PersonRecord]) -> frozenset[str]:
    """Surnames people in this workspace give in full names: what a handle may spell out."""
    return frozenset(r.last_name for r in records if r.last_name and len(r.last_name) >= MIN_SURNAME)


def ticket_vocabulary(records: Iterable[PersonRecord]) -> frozenset[str]:
    """The workspace's tickets: the codes a message may name."""
    return frozenset(t for r in records for t in r.tickets)


def distinct_people(a: PersonRecord, b: PersonRecord) -> bool:
    """Two people, whatever else they share: both give full names (no bare initials) and the names
    differ, or each was booked on the same flight-day (one person is not booked twice on one flight).

    >>> ann = PersonRecord(1, "ann lee", "ann", "lee", "annlee", (), (), (), (), ())
    >>> bo = PersonRecord(2, "bo li", "bo", "li", "boli", (), (), (), (), ())
    >>> distinct_people(ann, bo), distinct_people(ann, ann)
    (True, False)
    """
    if set(a.booked_trips) & set(b.booked_trips):
        return True
    full = [
        r.name
        for r in (a, b)
        if r.first_name and r.last_name and min(len(r.first_name), len(r.last_name)) > 1
    ]
    return len(full) == 2 and full[0] != full[1]


def _stems(view: InteractionView) -> set[str]:
    stems: set[str] = set()
    if view.author_email and "@" in view.author_email:
        stems.add(letters(view.author_email.split("@", 1)[0]))
    if view.author_handle:
        stems.add(letters(view.author_handle.split("@", 1)[0] or view.author_handle))
    return {s for s in stems if len(s) >= MIN_STEM}


def _flights(view: InteractionView) -> set[str]:
    """The flight a tagger found (``flight_number``); on review sites, which give only a name, a date and
    the words, the flight numbers typed in the text. Elsewhere a typed flight number without a tag is left
    alone: on a ticket or an email it names a booking the identifiers already link, and read with a
    day's slack it puts namesakes who flew the same daily flight a day apart on one flight-day."""
    if flight := view.segments.get("flight_number"):
        return {str(flight).upper().replace(" ", "")}
    return mentioned_flights(view.text) if view.channel in REVIEW_CHANNELS else set()


def _trips(view: InteractionView) -> set[str]:
    """Flight and day: a survey names the trip's date; a post is taken to be about that day's flight."""
    flights = _flights(view)
    if view.segments.get("trip_date"):
        return {f"{code}@{str(view.segments['trip_date'])[:10]}" for code in flights}
    # People post about a flight on the day or the day after.
    days = (view.occurred_at.date(), view.occurred_at.date() - timedelta(days=1))
    return {f"{code}@{day.isoformat()}" for code in flights for day in days}


def _routes(view: InteractionView) -> set[str]:
    """The route a tagger found; on review sites, also the routes typed in the text (not in shouted text,
    where 'DUE TO BAD' would read as one)."""
    routes = {str(view.segments["route"]).upper()} if view.segments.get("route") else set()
    text = view.text or ""
    if view.channel in REVIEW_CHANNELS and text.upper() != text:
        routes |= {f"{m['origin']}-{m['destination']}" for m in MENTIONED_ROUTE.finditer(text)}
    return routes


def _route_days(view: InteractionView, routes: set[str]) -> set[str]:
    """Route and day of travel: a survey's trip date, else the days before a post or a review."""
    if view.segments.get("trip_date"):
        days = [str(view.segments["trip_date"])[:10]]
    else:
        lag = REVIEW_LAG_DAYS if view.channel in REVIEW_CHANNELS else POST_LAG_DAYS
        days = [(view.occurred_at.date() - timedelta(days=k)).isoformat() for k in range(lag + 1)]
    return {f"{route}@{day}" for route in routes for day in days}


def mentioned_codes(text: str | None) -> set[str]:
    """Codes typed in a message that may be helpdesk tickets (checked against the known tickets later).

    >>> sorted(mentioned_codes("They closed T000474, see #48213. Flight PX240 at 10:45"))
    ['48213', 'T000474']
    """
    return {m.group(0).upper() for m in MENTIONED_CODE.finditer(text or "")}


def mentioned_booking_refs(text: str | None) -> set[str]:
    """Booking refs a customer typed into a message.

    >>> sorted(mentioned_booking_refs("Ref E97A6X, booking: QX7K2P. Flight PX240, ref TJPXTL"))
    ['E97A6X', 'QX7K2P', 'TJPXTL']
    >>> sorted(mentioned_booking_refs("REF LONDON. BOOKING TJ5XTL"))
    ['TJ5XTL']
    """
    text = text or ""
    shouted = text.upper() == text
    refs = {m.group("ref") for m in MENTIONED_REF.finditer(text)}
    return {r for r in refs if not (shouted and r.isalpha())}


def mentioned_flights(text: str | None) -> set[str]:
    """Flight numbers a customer typed (a review's 'PX481 delayed 57 minutes').

    >>> sorted(mentioned_flights("Stuck at Rome. PX481 delayed, then BA 117 too. Ticket T000219, gate A32"))
    ['BA117', 'PX481']
    """
    return {m.group("airline") + m.group("number") for m in MENTIONED_FLIGHT.finditer(text or "")}


def person_record(key: int, views: Iterable[InteractionView]) -> PersonRecord:
    """Summarise one customer's inbound interactions into the fields linkage compares."""
    names: Counter[str] = Counter()
    stems: set[str] = set()
    refs: set[str] = set()
    trips: set[str] = set()
    routes: set[str] = set()
    days: set[str] = set()
    booked: set[str] = set()
    route_days: set[str] = set()
    flown: set[str] = set()
    unflown: list[set[str]] = []
    tickets: set[str] = set()
    codes: set[str] = set()
    for view in views:
        if not view.inbound:
            continue
        if view.ticket_id:
            tickets.add(view.ticket_id.strip().upper())
        codes |= mentioned_codes(view.text)
        if view.author_name and (name := name_key(view.author_name)):
            names[name] += 1
        stems |= _stems(view)
        refs |= mentioned_booking_refs(view.text)
        if view.booking_ref:
            refs.add(view.booking_ref.strip().upper())
        view_routes = _routes(view)
        routes |= view_routes
        view_route_days = _route_days(view, view_routes)
        route_days |= view_route_days
        (flown.update if _flights(view) else unflown.append)(view_route_days)
        days.add(view.occurred_at.date().isoformat())
        trips |= _trips(view)
        if view.channel == "survey" and view.segments.get("trip_date"):
            booked |= _trips(view)
    top = names.most_common(1)[0][0] if names else None
    words = top.split() if top else []
    return PersonRecord(
        key=key,
        name=top,
        first_name=words[0] if words else None,
        last_name=words[-1] if len(words) > 1 else None,
        name_stem=letters(top) if top else None,
        stems=tuple(sorted(stems)),
        booking_refs=tuple(sorted(refs)),
        trips=tuple(sorted(trips)),
        routes=tuple(sorted(routes)),
        days=tuple(sorted(days)),
        booked_trips=tuple(sorted(booked)),
        route_days=tuple(sorted(route_days)),
        loose_route_days=tuple(sorted({rd for days in unflown if not days & flown for rd in days})),
        tickets=tuple(sorted(tickets)),
        mentioned_codes=tuple(sorted(codes - tickets)),
    )
