"""The outside view: who speaks up unprompted, at the emotional peak, on which channels, how many times."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.people import CHANNELS, Customers, IdentityBook
from parallax.simulate.templates_voice import PUBLIC
from parallax.simulate.text import Slots, TripText, pick, python_rng, render, revealed_segments, with_tone
from parallax.simulate.tickets import Tickets
from parallax.simulate.trips import Trips

PUBLIC_CHANNELS = ("twitter", "facebook", "instagram")
PRIVATE_CHANNELS = ("chat", "whatsapp", "email")


@dataclass(frozen=True)
class Utterance:
    """One thing a customer said on one channel; becomes a social.jsonl line or a reviews.csv row."""

    customer: int
    trip: int
    channel: str  # one of people.CHANNELS
    at_h: float
    text: str
    category: str
    repeat: int  # 0 for the first message of a thread
    thread: int
    segments: dict[str, str] = field(default_factory=dict)
    ticket: int = -1


def speak_probability(config: WorldConfig, trips: Trips, customers: Customers) -> np.ndarray:
    """``sigmoid(base + anger*max(0, cut-u) + disrupted + vocal)``: angry, disrupted, vocal people post."""
    v = config.voice
    anger = np.maximum(0.0, config.experience.csat_cuts[2] - trips.u)
    logit = (
        v.complain_base
        + v.complain_anger * anger
        + v.complain_disrupted * trips.disrupted
        + v.vocal_sd * customers.vocal[trips.customer]
    )
    return 1.0 / (1.0 + np.exp(-logit))


def build_voice(
    config: WorldConfig,
    trips: Trips,
    customers: Customers,
    tickets: Tickets,
    text: TripText,
    failure_causes: tuple[str, ...],
    export_h: float,
    rng: np.random.Generator,
) -> list[Utterance]:
    """Complaint threads, plus some praise and questions; sorted by time."""
    n = len(trips)
    complain = rng.random(n) < speak_probability(config, trips, customers)
    praise = ~complain & trips.satisfied & (rng.random(n) < config.voice.praise_p)
    neutral = ~complain & ~praise & (rng.random(n) < config.voice.neutral_p)
    speakers = np.flatnonzero(complain | praise | neutral)
    ticket_of = np.full(n, -1)
    ticket_of[tickets.trip] = np.arange(len(tickets))
    closed_unresolved = np.append(tickets.closed_unresolved, False)  # index -1: no ticket
    unresolved = closed_unresolved[ticket_of[speakers]]
    v = config.voice
    repeats = rng.poisson(v.repeat_mean + v.repeat_unresolved * unresolved)
    ctx = _Context(config, trips, tickets, text, failure_causes, python_rng(rng))
    weight = dict(v.channel_weights)
    out: list[Utterance] = []
    for thread, (trip, extra) in enumerate(zip(speakers.tolist(), repeats.tolist(), strict=True)):
        habits = [CHANNELS[j] for j in np.flatnonzero(customers.channels[trips.customer[trip]])]
        weights = [weight[h] for h in habits]
        if complain[trip]:
            out.extend(ctx.thread(trip, thread, int(ticket_of[trip]), 1 + extra, habits, weights))
            continue
        category = "praise" if praise[trip] else "neutral"
        channel = ctx.draw.choices(habits, weights)[0]
        if category == "neutral" and channel == "review":
            channel = "twitter"  # nobody asks a question in a review
        at = float(trips.arrival_h[trip]) + ctx.draw.expovariate(1 / 6.0)
        out.append(ctx.say(trip, thread, channel, at, category, 0, -1, 2))
    out = [u for u in out if u.at_h < export_h]
    out.sort(key=lambda u: (u.at_h, u.thread, u.repeat))
    return out


@dataclass(frozen=True)
class _Context:
    config: WorldConfig
    trips: Trips
    tickets: Tickets
    text: TripText
    failure_causes: tuple[str, ...]
    draw: random.Random

    def category(self, trip: int) -> str:
        trips, failure = self.trips, int(self.trips.failure[trip])
        if trips.cancelled[trip]:
            return "cancel"
        if trips.baggage[trip]:
            return "baggage"
        if failure >= 0 and self.failure_causes[failure] in PUBLIC:
            return self.failure_causes[failure]
        if trips.disrupted[trip]:
            return "no_updates" if trip % 2 else "delay"
        if trips.service[trip]:
            return "service"
        return "delay" if trips.delay_min[trip] >= 45 else "general_bad"

    def thread(
        self, trip: int, thread: int, ticket: int, count: int, habits: list[str], weights: list[float]
    ) -> list[Utterance]:
        """First message at the peak, repeats hours apart, a last word after a ticket closed unresolved."""
        draw, gap = self.draw, self.config.voice.repeat_gap_h
        at = self.peak(trip)
        channel = draw.choices(habits, weights)[0]
        said = []
        fixed_at = self.fixed_at(ticket)
        for k in range(count):
            if k and at > fixed_at:
                break  # the ticket really fixed it: nothing more to chase
            kind = self.category(trip) if k == 0 else "repeat"
            said.append(self.say(trip, thread, channel, at, kind, k, ticket, k + 1))
            at += draw.expovariate(1 / gap) + 0.25
            if draw.random() < 0.5 or channel == "review":
                channel = _next_channel(habits, weights, draw)
            if not channel:
                return said  # wrote one review and nothing else
        if ticket >= 0 and self.tickets.closed_unresolved[ticket]:
            at = float(self.tickets.closed_h[ticket]) + draw.expovariate(1 / 6.0)
            said.append(self.say(trip, thread, channel, at, "closed_unresolved", count, ticket, count))
        return said

    def fixed_at(self, ticket: int) -> float:
        t = self.tickets
        if ticket < 0 or not t.resolved[ticket] or np.isnan(t.closed_h[ticket]):
            return np.inf
        return float(t.closed_h[ticket])

    def peak(self, trip: int) -> float:
        """While stuck at the gate for long delays and cancellations, just after landing otherwise."""
        trips, draw = self.trips, self.draw
        delay_h = float(trips.delay_min[trip]) / 60.0
        if trips.cancelled[trip]:
            return float(trips.departure_h[trip]) + draw.uniform(0.0, 3.0)
        if delay_h >= 0.75:
            return float(trips.departure_h[trip]) + draw.uniform(0.3, 1.0) * delay_h
        return float(trips.arrival_h[trip]) + draw.expovariate(1 / self.config.voice.first_lag_h)

    def say(
        self,
        trip: int,
        thread: int,
        channel: str,
        at: float,
        category: str,
        repeat: int,
        ticket: int,
        nth: int,
    ) -> Utterance:
        return _say(
            self.text, self.trips, trip, thread, channel, at, category, repeat, ticket, nth, self.draw
        )


def _next_channel(habits: list[str], weights: list[float], rng: random.Random) -> str:
    """People follow up where they can be answered: any of their channels except a review site."""
    talk = [(h, w) for h, w in zip(habits, weights, strict=True) if h != "review"]
    if not talk:
        return ""
    return rng.choices([h for h, _ in talk], [w for _, w in talk])[0]


def _say(
    text: TripText,
    trips: Trips,
    trip: int,
    thread: int,
    channel: str,
    at: float,
    category: str,
    repeat: int,
    ticket: int,
    nth: int,
    rng: random.Random,
) -> Utterance:
    customer = int(trips.customer[trip])
    ticket_label = f"T{ticket + 1:06d}" if ticket >= 0 else "my complaint"
    slots: Slots = text.slots(trip, customer, ticket=ticket_label, nth=nth)
    template = pick(PUBLIC[category], rng)
    if channel not in PUBLIC_CHANNELS:
        template = template.replace("{handle} ", "").replace(" {handle}", "")
    said = render(template, slots)
    said = (
        said[0].upper() + said[1:] if said[:1].islower() else said
    )  # "{handle} this is..." without a handle
    body = with_tone(said, rng, angry=category not in ("praise", "neutral"))
    return Utterance(
        customer=customer,
        trip=trip,
        channel=channel,
        at_h=round(at * 3600.0) / 3600.0,
        text=body,
        category=category,
        repeat=repeat,
        thread=thread,
        segments=revealed_segments(template, slots),
        ticket=ticket,
    )


def author_fields(
    book: IdentityBook, customers: Customers, customer: int, channel: str, roll: int
) -> dict[str, str]:
    """The identifiers one channel shows for a person: never all of them, rarely the same across channels."""
    c = customer
    if channel == "twitter":
        return {"author_handle": book.get(c, "twitter"), "author_name": book.get(c, "nickname")}
    if channel == "instagram":
        return {"author_handle": book.get(c, "instagram")}
    if channel == "facebook":
        name = customers.name(c) if roll % 5 else book.get(c, "nickname")
        return {"author_handle": book.get(c, "facebook"), "author_name": name}
    if channel == "whatsapp" and customers.has_phone[c]:
        return {"author_phone": book.get(c, "phone"), "author_name": book.get(c, "nickname")}
    if channel == "email":
        work = customers.has_work_email[c] and roll % 3 != 0
        email = book.get(c, "work_email") if work else customers.email[c]
        return {"author_email": email, "author_name": customers.name(c)}
    fields = {"author_name": book.get(c, "nickname")}  # chat, or WhatsApp without a known phone
    if roll % 2:
        fields["author_email"] = customers.email[c]
    if roll % 3 == 0 and customers.loyalty_id[c]:
        fields["loyalty_id"] = customers.loyalty_id[c]
    return fields
