"""Seeded synthetic interaction streams with a planted disruption: for tests, the benchmark and demos.

Background traffic mixes praise, neutral questions and complaints across topics and routes at a steady
rate with a daily cycle; from ``spike_at`` the disruption adds ``spike_rate`` delay complaints per minute
on one route. Texts contain contact details so redaction is exercised.

Example:
    >>> from datetime import datetime, timedelta
    >>> plan = Plan(start=datetime(2026, 1, 1), duration=timedelta(minutes=10), rate_per_min=6.0)
    >>> events = list(interactions(plan, seed=1))
    >>> len(events) > 30, events[0]["workspace_id"], sorted(events[0])[:3]
    (True, 'acme', ['channel', 'external_id', 'kind'])
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ROUTES = ("LHR-JFK", "LHR-DXB", "MAN-AMS", "LGW-MAD", "EDI-LHR")
TEMPLATES = {
    "positive": ("Lovely crew on {flight} today, thank you!", "Great service from {route}, smooth flight"),
    "neutral": ("What time does check-in open for {flight}?", "Is there wifi on the {route} service?"),
    "negative": (
        "My bag never arrived after {flight}, nobody answers",
        "Refund still not paid for {flight}, email me at jo.bloggs@example.com",
        "Rude staff at the gate for {route}",
        "The app keeps crashing when I try to check in",
    ),
}
SPIKE_TEXTS = (
    "{flight} delayed again, stuck at the gate for 3 hours, call me on +44 7700 900123",
    "Flight {flight} {route} delayed with no information, terrible",
    "Still waiting, {flight} delay is now 4 hours, missed my connection",
)


@dataclass(frozen=True)
class Plan:
    start: datetime
    duration: timedelta
    rate_per_min: float = 20.0
    spike_at: datetime | None = None
    spike_for: timedelta = timedelta(minutes=45)
    spike_rate_per_min: float = 20.0
    spike_route: str = "LHR-JFK"
    workspace_id: str = "acme"
    daily_cycle: bool = True


def _rate(plan: Plan, t: datetime) -> float:
    if not plan.daily_cycle:
        return plan.rate_per_min
    return plan.rate_per_min * (1.0 + 0.6 * math.sin(2 * math.pi * (t.hour + t.minute / 60 - 9) / 24))


def _payload(plan: Plan, n: int, t: datetime, text: str, route: str, channel: str) -> dict[str, Any]:
    return {
        "workspace_id": plan.workspace_id,
        "source": "synthetic",
        "external_id": f"s{n}",
        "channel": channel,
        "kind": "post" if channel == "twitter" else "message",
        "occurred_at": t.isoformat(),
        "text": text,
        "segments": {
            "route": route,
            "airport": route.split("-")[0],
            "loyalty_tier": "gold" if n % 5 == 0 else "",
        },
    }


def background_payload(rng: random.Random, plan: Plan, n: int, t: datetime) -> dict[str, Any]:
    """One ordinary interaction: praise, a question or a complaint on a random route and channel."""
    flight = f"PX{rng.randint(100, 999)}"
    mood = rng.choices(("positive", "neutral", "negative"), weights=(3, 4, 3))[0]
    route = rng.choice(ROUTES)
    text = rng.choice(TEMPLATES[mood]).format(flight=flight, route=route)
    return _payload(plan, n, t, text, route, rng.choice(("twitter", "email", "chat", "review")))


def spike_payload(rng: random.Random, plan: Plan, n: int, t: datetime) -> dict[str, Any]:
    """One complaint of the planted disruption (delays on ``plan.spike_route``)."""
    text = rng.choice(SPIKE_TEXTS).format(flight=f"PX{rng.randint(100, 999)}", route=plan.spike_route)
    return _payload(plan, n, t, text, plan.spike_route, "twitter")


def interactions(plan: Plan, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Events in time order (Poisson arrivals), background plus the planted disruption."""
    rng = random.Random(seed)
    t, n, end = plan.start, 0, plan.start + plan.duration
    while t < end:
        in_spike = plan.spike_at is not None and plan.spike_at <= t < plan.spike_at + plan.spike_for
        rate = _rate(plan, t) + (plan.spike_rate_per_min if in_spike else 0.0)
        t += timedelta(seconds=rng.expovariate(rate / 60.0))
        n += 1
        if in_spike and rng.random() < plan.spike_rate_per_min / rate:
            yield spike_payload(rng, plan, n, t)
        else:
            yield background_payload(rng, plan, n, t)
