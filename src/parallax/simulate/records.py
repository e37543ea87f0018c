"""Turn utterances, notes and reviews into export rows, and note who really said what (the truth)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from parallax.simulate.people import Customers, IdentityBook
from parallax.simulate.reviews import Review
from parallax.simulate.tickets import AgentNote, Tickets
from parallax.simulate.timefmt import iso
from parallax.simulate.trips import Trips
from parallax.simulate.voice import PUBLIC_CHANNELS, Utterance, author_fields

SOCIAL_SOURCE = "social-listening"
MESSAGING_SOURCE = "messaging"
NOTES_SOURCE = "helpdesk-notes"
_PREFIX = {
    "twitter": "tw",
    "facebook": "fb",
    "instagram": "ig",
    "chat": "ch",
    "whatsapp": "wa",
    "email": "em",
}
ID_KINDS = {
    "author_email": "email",
    "author_phone": "phone",
    "author_handle": "handle",
    "author_name": "name",
    "loyalty_id": "loyalty_id",
}


@dataclass(frozen=True)
class Records:
    """Rows for social.jsonl, agent_notes.jsonl and reviews.csv, and their truth links."""

    social: tuple[dict[str, Any], ...]
    notes: tuple[dict[str, Any], ...]
    reviews: tuple[dict[str, Any], ...]
    identities: tuple[tuple[int, str, str], ...]  # (customer index, kind, value) seen in these rows
    links: tuple[tuple[str, str, int, int], ...]  # (file, external id, customer index, trip index)


def build_records(
    start: datetime,
    customers: Customers,
    book: IdentityBook,
    trips: Trips,
    refs: np.ndarray,
    route_codes: np.ndarray,
    tickets: Tickets,
    notes: list[AgentNote],
    voice: list[Utterance],
    reviews: list[Review],
) -> Records:
    seen = _Seen({}, [])
    social = _social(start, customers, book, refs, tickets, voice, seen)
    note_rows = _notes(start, tickets, notes, seen)
    review_rows = _reviews(start, book, trips, route_codes, reviews, seen)
    return Records(
        tuple(social), tuple(note_rows), tuple(review_rows), tuple(seen.identities), tuple(seen.links)
    )


@dataclass(frozen=True)
class _Seen:
    """What the rows revealed, collected as they are made: identifiers per person, and row → person links."""

    identities: dict[tuple[int, str, str], None]
    links: list[tuple[str, str, int, int]]


def _notes(start: datetime, tickets: Tickets, notes: list[AgentNote], seen: _Seen) -> list[dict[str, Any]]:
    ticket_ids = tickets.ids().tolist()
    times = _times(start, [note.at_h for note in notes])
    rows = []
    for k, note in enumerate(notes):
        t = note.ticket
        note_id = f"N{k + 1:07d}"
        rows.append(
            {
                "source": NOTES_SOURCE,
                "external_id": note_id,
                "channel": "ticket",
                "kind": "agent_note",
                "occurred_at": times[k],
                "direction": "outbound",
                "author_name": str(tickets.agent[t]),
                "ticket_id": ticket_ids[t],
                "text": note.text,
                "segments": {"queue": str(tickets.queue[t]), "agent": str(tickets.agent[t])},
            }
        )
        seen.links.append(("agent_notes.jsonl", note_id, int(tickets.customer[t]), int(tickets.trip[t])))
    return rows


def _reviews(
    start: datetime,
    book: IdentityBook,
    trips: Trips,
    route_codes: np.ndarray,
    reviews: list[Review],
    seen: _Seen,
) -> list[dict[str, Any]]:
    times = _times(start, [review.at_h for review in reviews])
    rows = []
    for k, review in enumerate(reviews):
        author = book.get(review.customer, "review")
        seen.identities[(review.customer, "name", author)] = None
        rows.append(
            {
                "review_id": f"RV{k + 1:06d}",
                "author": author,
                "stars": review.stars,
                "title": review.title,
                "text": review.text,
                "date": times[k],
                "platform": review.platform,
                "route": str(route_codes[trips.route[review.trip]]) if review.show_route else "",
            }
        )
        seen.links.append(("reviews.csv", f"RV{k + 1:06d}", review.customer, review.trip))
    return rows


def _times(start: datetime, hours: list[float]) -> list[str]:
    return iso(start, np.array(hours, dtype=float)).tolist()


def _social(
    start: datetime,
    customers: Customers,
    book: IdentityBook,
    refs: np.ndarray,
    tickets: Tickets,
    voice: list[Utterance],
    seen: _Seen,
) -> list[dict[str, Any]]:
    """Public posts thread as replies on the same channel; private messages carry the ticket when known."""
    ticket_ids = tickets.ids().tolist()
    times = _times(start, [u.at_h for u in voice])
    last_on: dict[tuple[int, str], str] = {}
    counters = dict.fromkeys(_PREFIX, 0)
    rows: list[dict[str, Any]] = []
    for u, occurred_at in zip(voice, times, strict=True):
        if u.channel == "review":
            continue
        counters[u.channel] += 1
        external_id = f"{_PREFIX[u.channel]}-{counters[u.channel]:07d}"
        row: dict[str, Any] = {
            "source": SOCIAL_SOURCE if u.channel in PUBLIC_CHANNELS else MESSAGING_SOURCE,
            "external_id": external_id,
            "channel": u.channel,
            "kind": "message",
            "occurred_at": occurred_at,
        }
        roll = (u.thread * 7 + u.repeat) % 30
        row.update(author_fields(book, customers, u.customer, u.channel, roll))
        for field, kind in ID_KINDS.items():
            if field in row:
                seen.identities[(u.customer, kind, row[field])] = None
        row["text"] = u.text
        row.update(_threading(u, external_id, last_on, str(refs[u.trip]), tickets, ticket_ids))
        row["segments"] = u.segments
        rows.append(row)
        seen.links.append(("social.jsonl", external_id, u.customer, u.trip))
    return rows


def _threading(
    u: Utterance,
    external_id: str,
    last_on: dict[tuple[int, str], str],
    ref: str,
    tickets: Tickets,
    ticket_ids: list[str],
) -> dict[str, str]:
    """Public: a post, then replies to it on the same channel. Private: the ticket and ref once known."""
    found: dict[str, str] = {}
    if u.channel in PUBLIC_CHANNELS:
        previous = last_on.get((u.thread, u.channel))
        found["kind"] = "reply" if previous else "post"
        if previous:
            found["in_reply_to"] = previous
        last_on[(u.thread, u.channel)] = external_id
        return found
    if ref in u.text:
        found["booking_ref"] = ref
    if u.ticket >= 0 and tickets.created_h[u.ticket] <= u.at_h:
        found["ticket_id"] = ticket_ids[u.ticket]
    return found
