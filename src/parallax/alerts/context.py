"""What a spike is about: top categories, entities and example messages among recent events of a key.

Entities describe what many complainants share (routes, airports, flights). Identifiers of one person
(hashed emails, phones and booking references, order numbers, social handles) are left out: each names one
customer, not the incident, and as the commonest kind in complaints (a booking reference in most tickets)
they pushed the routes and airports out of the top five.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from parallax.alerts.events import SeriesKey, SignalEvent, event_keys
from parallax.enrich.pii import redact


@dataclass(frozen=True)
class SpikeContext:
    top_categories: tuple[tuple[str, int], ...]
    top_entities: tuple[tuple[str, int], ...]  # "route:LHR-JFK", "airport:LHR", "flight:BA117"
    examples: tuple[str, ...]
    events: int
    public_share: float
    customer_value: float
    # Disrupted flights the flight-status feed reported that the spike names ("PX229 LHR-MAD cancelled"),
    # filled in by the stream worker (alerts/flight_causes.py); empty without a feed.
    flight_status: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "top_categories": [list(p) for p in self.top_categories],
            "top_entities": [list(p) for p in self.top_entities],
            "examples": list(self.examples),
            "events": self.events,
            "public_share": round(self.public_share, 3),
            "customer_value": round(self.customer_value, 3),
            "flight_status": list(self.flight_status),
        }


class RecentEvents:
    """A bounded memory of recent events (by event time) to describe a spike when it fires."""

    def __init__(self, horizon: timedelta = timedelta(hours=1), max_events: int = 5_000) -> None:
        self.horizon = horizon
        self._events: deque[SignalEvent] = deque(maxlen=max_events)

    def add(self, event: SignalEvent) -> None:
        if event.sentiment != "negative":
            return  # spikes are about complaints; keeping only those stretches the memory further
        self._events.append(event)
        while self._events and self._events[0].occurred_at < event.occurred_at - self.horizon:
            self._events.popleft()

    def describe(self, key: SeriesKey, since: datetime, examples: int = 3) -> SpikeContext:
        """Summarise the events of ``key`` since ``since``; example texts are already redacted."""
        matching = [e for e in self._events if e.occurred_at >= since and key in event_keys(e)]
        return summarise(matching, examples)


PERSONAL_KINDS = frozenset({"order_number", "handle"})  # besides every ``*_hash`` kind


def shared_kind(kind: str) -> bool:
    """Whether an entity kind can describe an incident (not one person's identifier)."""
    return not kind.endswith("_hash") and kind not in PERSONAL_KINDS


def _entity_labels(event: SignalEvent) -> Iterable[str]:
    for name, value in event.segments.items():
        if name in ("route", "airport", "flight"):
            yield f"{name}:{value}"
    for kind, values in event.entities.items():
        if shared_kind(kind):
            for value in values:
                yield f"{kind}:{value}"


def summarise(events: list[SignalEvent], examples: int = 3) -> SpikeContext:
    categories = Counter(e.category for e in events if e.category)
    entities = Counter(label for e in events for label in set(_entity_labels(e)))
    texts = [e.text for e in reversed(events) if e.text][:examples]
    n = max(len(events), 1)
    return SpikeContext(
        top_categories=tuple(categories.most_common(3)),
        top_entities=tuple(entities.most_common(5)),
        examples=tuple(redact(t)[:280] for t in texts),  # the policy again: examples leave the worker
        events=len(events),
        public_share=sum(e.public for e in events) / n,
        customer_value=sum(e.customer_value for e in events) / n,
    )
