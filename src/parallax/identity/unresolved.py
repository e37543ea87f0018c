"""Closed but not resolved: what the customer said, after a ticket was closed, that shows it was not fixed.

Pure logic over ``InteractionView``s and what enrichment read in them (``Reading``). A closed ticket is
flagged on any of three kinds of evidence, each the customer's own word after closing:

* ``rated low`` — the customer rated the closed ticket 1 or 2 of 5 (the helpdesk CSAT on the ticket row);
* ``same ticket`` — an inbound message within the window after closing that is on the ticket (its
  ``ticket_id``) or names it ("you closed my case but nothing is resolved. Ticket T000203"), whoever it was
  linked to, unless enrichment reads it as thanks (``helped`` with no complaint in it);
* ``came back`` — the same customer contacting again within the window about the same issue (the journey)
  or about the same booking (a booking ref or flight the ticket names too, whatever category enrichment gave
  it), unless enrichment read the contact and found no complaint in it (no negative sentiment, no friction,
  not-helped, repeated-effort, inconsistency or uncertainty signal), or it is about another booking (it
  names booking refs or flights, and none of the ticket's).

The agent's own closing note is not read: it is the company's account, and what is measured here is whether
the customer's account disagrees (docs/identity.md, "Closed but not resolved").

Example:
    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 3, 1)
    >>> ticket = InteractionView(1, "email", "ticket", t, ticket_id="T000203", status="solved",
    ...                          closed_at=t + timedelta(hours=2))
    >>> tweet = InteractionView(2, "twitter", "post", t + timedelta(hours=7),
    ...                         text="you closed my case but nothing is resolved. Ticket T000203")
    >>> found = closed_not_resolved(ticket, [], [tweet], {2: Reading(sentiment="negative")})
    >>> found.evidence, found.later_contacts
    (('same ticket',), (2,))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parallax.identity.features import mentioned_booking_refs, mentioned_codes, mentioned_flights
from parallax.identity.views import InteractionView, Reading

DEFAULT_WINDOW = timedelta(days=7)
CLOSED_STATUSES = frozenset({"solved", "closed", "resolved"})
# A CSAT of 1-2 (of 5) given to the closed ticket: the customer says the outcome did not satisfy.
LOW_RATING = 2.0


@dataclass(frozen=True)
class ClosedNotResolved:
    """A ticket closed while the customer was still not helped: who closed it, and what came after."""

    ticket_id: str
    closed_at: datetime
    queue: str | None
    agent: str | None
    later_contacts: tuple[int, ...]
    evidence: tuple[str, ...] = ()


def is_closed_ticket(view: InteractionView) -> bool:
    return bool(view.ticket_id and view.closed_at and (view.status or "closed") in CLOSED_STATUSES)


def ticket_refs(view: InteractionView) -> set[str]:
    """The tickets an interaction is on or names, in capitals ('t000203' and 'T000203' are one ticket)."""
    named = mentioned_codes(view.text)
    return named | {view.ticket_id.upper()} if view.ticket_id else named


def naming_index(views: Iterable[InteractionView]) -> dict[str, list[InteractionView]]:
    """Per ticket id (in capitals), the inbound interactions on it or naming it, among ``views``; codes that
    are no ticket of these views (a loyalty number, a year) are left out."""
    views = list(views)
    known = {v.ticket_id.upper() for v in views if v.ticket_id}
    index: dict[str, list[InteractionView]] = {}
    for view in views:
        if view.inbound:
            for ref in sorted(ticket_refs(view) & known):
                index.setdefault(ref, []).append(view)
    return index


def rated_low(ticket: InteractionView) -> bool:
    return ticket.score_type == "csat" and ticket.score_value is not None and ticket.score_value <= LOW_RATING


def _trip_keys(view: InteractionView) -> tuple[set[str], set[str]]:
    """Booking refs and flights an interaction names (fields, segments and typed text)."""
    refs = mentioned_booking_refs(view.text) | ({view.booking_ref.upper()} if view.booking_ref else set())
    flight = view.segments.get("flight_number")
    flights = mentioned_flights(view.text) | ({str(flight).upper()} if flight else set())
    return refs, flights


def same_booking(later: InteractionView, ticket: InteractionView) -> bool:
    """The later contact names a booking ref or flight the ticket names too."""
    return any(mine & theirs for mine, theirs in zip(_trip_keys(later), _trip_keys(ticket), strict=True))


def another_booking(later: InteractionView, ticket: InteractionView) -> bool:
    """The later contact names a booking or flight, the ticket names some of the same kind, none shared."""
    pairs = list(zip(_trip_keys(later), _trip_keys(ticket), strict=True))
    return not same_booking(later, ticket) and any(mine and theirs for mine, theirs in pairs)


def _after(
    ticket: InteractionView, views: Iterable[InteractionView], window: timedelta
) -> list[InteractionView]:
    assert ticket.closed_at is not None
    end = ticket.closed_at + window
    return [v for v in views if v.inbound and v.id != ticket.id and ticket.closed_at < v.occurred_at <= end]


def _same_ticket(
    ticket: InteractionView, views: Iterable[InteractionView], readings: Mapping[int, Reading]
) -> list[int]:
    return [
        v.id
        for v in views
        if str(ticket.ticket_id).upper() in ticket_refs(v) and not readings.get(v.id, Reading()).thanks()
    ]


def _came_back(
    ticket: InteractionView, views: Iterable[InteractionView], readings: Mapping[int, Reading]
) -> list[int]:
    return [
        v.id
        for v in views
        if (v.id not in readings or readings[v.id].complains()) and not another_booking(v, ticket)
    ]


def closed_not_resolved(
    ticket: InteractionView,
    journey: Sequence[InteractionView],
    naming: Sequence[InteractionView],
    readings: Mapping[int, Reading],
    window: timedelta = DEFAULT_WINDOW,
    elsewhere: Sequence[InteractionView] = (),
) -> ClosedNotResolved | None:
    """The evidence that a closed ``ticket`` was not resolved, if any.

    ``journey``: the customer's contacts threaded with the ticket; ``naming``: interactions anywhere in the
    workspace on or naming the ticket (another customer's where linking did not join them); ``elsewhere``:
    the customer's other contacts, which count when they are about the ticket's booking.
    """
    assert ticket.closed_at is not None
    same = _same_ticket(ticket, _after(ticket, [*journey, *naming], window), readings)
    related = [*journey, *(v for v in elsewhere if same_booking(v, ticket))]
    back = [i for i in _came_back(ticket, _after(ticket, related, window), readings) if i not in same]
    evidence = [
        kind for kind, found in (("rated low", rated_low(ticket)), ("same ticket", same), ("came back", back))
        if found
    ]  # fmt: skip
    if not evidence:
        return None
    return ClosedNotResolved(
        ticket_id=str(ticket.ticket_id),
        closed_at=ticket.closed_at,
        queue=ticket.segments.get("queue"),
        agent=ticket.segments.get("agent"),
        later_contacts=tuple(sorted({*same, *back})),
        evidence=tuple(evidence),
    )
