"""Support tickets and agent notes: slow answers in a backlog, and cases closed without being fixed."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.events import Disruption
from parallax.simulate.names import AGENT_NAMES, AGENTS_PER_QUEUE
from parallax.simulate.people import CHANNELS, Customers
from parallax.simulate.templates_service import DESCRIPTIONS, NOTES, PROGRESS_BY_QUEUE, SUBJECTS
from parallax.simulate.text import TripText, pick, python_rng, render
from parallax.simulate.trips import Trips

QUEUES = ("baggage", "refunds", "rebooking", "complaints", "loyalty")
TICKET_CHANNELS = ("email", "chat", "phone", "whatsapp")


@dataclass(frozen=True)
class Tickets:
    """One element per ticket; ``closed_h`` is NaN while open at export time; ``resolved`` is the truth."""

    trip: np.ndarray
    customer: np.ndarray
    channel: np.ndarray
    queue: np.ndarray
    agent: np.ndarray
    created_h: np.ndarray
    first_response_h: np.ndarray
    closed_h: np.ndarray
    status: np.ndarray
    resolved: np.ndarray
    csat: np.ndarray  # -1 when not rated
    subject: tuple[str, ...]
    description: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.trip.size)

    def ids(self) -> np.ndarray:
        return np.array([f"T{k:06d}" for k in range(1, len(self) + 1)], dtype=str)

    @property
    def closed_unresolved(self) -> np.ndarray:
        return ~np.isnan(self.closed_h) & ~self.resolved


@dataclass(frozen=True)
class AgentNote:
    ticket: int
    at_h: float
    text: str


def build_tickets(
    config: WorldConfig,
    trips: Trips,
    customers: Customers,
    text: TripText,
    disruption: Disruption,
    export_h: float,
    lounge_failure: int,
    rng: np.random.Generator,
) -> Tickets:
    t = config.tickets
    trip = np.flatnonzero(trips.ticket)
    n = trip.size
    customer = trips.customer[trip]
    created, first, closed, backlog = _timeline(config, trips, trip, disruption, rng)
    resolved = rng.random(n) < np.where(backlog, t.resolved_p - 0.15, t.resolved_p)
    is_closed = closed < export_h
    answered = first < export_h
    status = np.where(
        is_closed, np.where(rng.random(n) < 0.7, "solved", "closed"), np.where(answered, "pending", "open")
    )
    rated = is_closed & (rng.random(n) < t.ticket_csat_p)
    score = np.where(resolved, rng.integers(4, 6, n), rng.integers(1, 3, n))
    queue = _queues(trips, trip, lounge_failure, rng)
    agent_index = queue * AGENTS_PER_QUEUE + rng.integers(0, AGENTS_PER_QUEUE, n)
    subjects, descriptions = _texts(text, trip, customer, queue, python_rng(rng))
    keep = created < export_h
    return Tickets(
        trip=trip[keep],
        customer=customer[keep],
        channel=_channels(customers, customer, rng)[keep],
        queue=np.array(QUEUES)[queue][keep],
        agent=np.array(AGENT_NAMES)[agent_index][keep],
        created_h=_minute(created)[keep],
        first_response_h=np.where(answered, _minute(first), np.nan)[keep],
        closed_h=np.where(is_closed, _minute(closed), np.nan)[keep],
        status=status[keep],
        resolved=resolved[keep],
        csat=np.where(rated, score, -1)[keep],
        subject=tuple(s for s, k in zip(subjects, keep.tolist(), strict=True) if k),
        description=tuple(d for d, k in zip(descriptions, keep.tolist(), strict=True) if k),
    )


def _timeline(
    config: WorldConfig, trips: Trips, trip: np.ndarray, disruption: Disruption, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Opened, first answered, closed; answers are four times slower in the storm's backlog."""
    t, n = config.tickets, trip.size
    created = np.where(
        trips.cancelled[trip],
        trips.departure_h[trip] + rng.exponential(2.0, n),
        trips.arrival_h[trip] + rng.exponential(5.0, n),
    )
    backlog = (created >= disruption.start_h) & (created < disruption.end_h + 24.0)
    median = t.first_response_median_h * np.where(backlog, t.backlog_factor, 1.0)
    first = created + rng.lognormal(np.log(median), 0.8)
    closed = first + rng.lognormal(np.log(t.close_median_h), 0.9, n)
    return created, first, closed, backlog


def _minute(hours: np.ndarray) -> np.ndarray:
    return np.round(hours * 60.0) / 60.0


def _queues(trips: Trips, trip: np.ndarray, lounge_failure: int, rng: np.random.Generator) -> np.ndarray:
    n = trip.size
    queue = np.full(n, QUEUES.index("complaints"))
    cancelled = trips.cancelled[trip]
    queue[trips.delay_min[trip] >= 180] = QUEUES.index("refunds")
    queue[cancelled] = np.where(rng.random(int(cancelled.sum())) < 0.5, 1, 2)
    queue[trips.failure[trip] == lounge_failure] = QUEUES.index("loyalty")
    queue[trips.baggage[trip]] = QUEUES.index("baggage")
    return queue


def _channels(customers: Customers, customer: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Email by default; people who chat or use WhatsApp open tickets there; some phone in."""
    habits = customers.channels[customer]
    roll = rng.random(customer.size)
    channel = np.where(roll < 0.3, "phone", "email")
    channel = np.where(habits[:, CHANNELS.index("chat")] & (roll > 0.5), "chat", channel)
    wa = habits[:, CHANNELS.index("whatsapp")] & customers.has_phone[customer] & (roll > 0.4)
    return np.where(wa, "whatsapp", channel)


def _texts(
    text: TripText, trip: np.ndarray, customer: np.ndarray, queue: np.ndarray, rng: random.Random
) -> tuple[list[str], list[str]]:
    subjects, descriptions = [], []
    for t, c, q in zip(trip.tolist(), customer.tolist(), queue.tolist(), strict=True):
        slots = text.slots(t, c)
        subjects.append(render(pick(SUBJECTS[QUEUES[q]], rng), slots))
        descriptions.append(render(pick(DESCRIPTIONS[QUEUES[q]], rng), slots))
    return subjects, descriptions


def agent_notes(
    tickets: Tickets, text: TripText, export_h: float, rng: np.random.Generator
) -> list[AgentNote]:
    """An opening note at first response, 0-2 progress notes, and a closing note that tells the truth."""
    notes: list[AgentNote] = []
    draw = python_rng(rng)
    t = tickets
    columns = (t.first_response_h, t.closed_h, t.trip, t.customer, t.resolved, t.queue)
    for k, (first, closed, trip, customer, resolved, queue) in enumerate(
        zip(*(c.tolist() for c in columns), strict=True)
    ):
        if math.isnan(first):
            continue
        slots = text.slots(trip, customer)
        notes.append(AgentNote(k, first, render(pick(NOTES["opened"], draw), slots)))
        end = export_h if math.isnan(closed) else closed
        for at in sorted(draw.uniform(first, end) for _ in range(draw.randrange(3))):
            options = NOTES["progress"] + PROGRESS_BY_QUEUE[queue]
            notes.append(AgentNote(k, round(at * 60) / 60, render(pick(options, draw), slots)))
        if not math.isnan(closed):
            kind = "resolved" if resolved else "closed_unresolved"
            notes.append(AgentNote(k, closed, render(pick(NOTES[kind], draw), slots)))
    return notes
