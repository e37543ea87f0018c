"""Grouping and cool-down (one incident is one alert) and severity.

Signals of one workspace join an open incident only when they are about the same thing: the same topic and
an overlapping place (the same route or airport, or a route and an airport it serves). What a signal is
about comes from its key (``topic:baggage|airport:LHR``); where the key does not say (the overall negative
volume, a topic without a place), from its events (``About.of``: the topic and places at least half of them
share), so an overall spike made of MAD cancellations does not join an open LHR baggage incident. Unknown
matches anything (a topic-wide key joins the topic's incident wherever it is). An incident stays open while
signals keep coming and closes after ``cooldown`` without one; only then can the same topic raise a new
alert.

Example:
    >>> from datetime import datetime, timedelta
    >>> from parallax.alerts.events import SeriesKey
    >>> from parallax.alerts.rules import Signal
    >>> g = IncidentGrouper(cooldown=timedelta(hours=1))
    >>> t = datetime(2026, 1, 1)
    >>> g.offer("acme", Signal("spike", SeriesKey("negative"), t, 50, 5.0, 1.0, 6.0)).is_new
    True
    >>> g.offer("acme", Signal("spike", SeriesKey("topic:delay"), t, 40, 2.0, 1.0, 8.0)).is_new
    False
    >>> later = t + timedelta(hours=2)
    >>> g.offer("acme", Signal("spike", SeriesKey("topic:delay"), later, 40, 2.0, 1.0, 8.0)).is_new
    True
    >>> lhr = Signal("spike", SeriesKey("topic:delay|airport:LHR"), later, 40, 2.0, 1.0, 8.0)
    >>> mad = Signal("spike", SeriesKey("topic:delay|route:MAD-FCO"), later, 40, 2.0, 1.0, 8.0)
    >>> g.offer("acme", lhr).is_new, g.offer("acme", mad).is_new
    (False, True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parallax.alerts.events import SEGMENT_KEYS, SeriesKey
from parallax.alerts.rules import Signal

SEVERITIES = ("low", "medium", "high", "critical")
SHARED = 0.5  # a topic or place describes a signal's events when at least this share of them has it


@dataclass(frozen=True)
class About:
    """What a signal or an incident is about: a topic and places (``route:LHR-JFK``, ``airport:LHR``);
    None and empty mean unknown."""

    topic: str | None = None
    places: frozenset[str] = frozenset()

    @staticmethod
    def of_key(key: SeriesKey) -> About:
        places = (part for part in key.name.split("|")[1:] if part.split(":", 1)[0] in SEGMENT_KEYS)
        return About(key.topic, frozenset(places))

    @staticmethod
    def of(categories: Iterable[tuple[str, int]], entities: Iterable[tuple[str, int]], events: int) -> About:
        """From a signal's events, counted (``SpikeContext``): the topic and the route and airport labels
        at least ``SHARED`` of them have."""
        need = SHARED * max(events, 1)
        topics = [c for c, n in categories if n >= need]
        places = (label for label, n in entities if n >= need and label.split(":", 1)[0] in SEGMENT_KEYS)
        return About(topics[0] if topics else None, frozenset(places))

    def filled(self, other: About) -> About:
        """Unknown parts taken from ``other``."""
        return About(self.topic or other.topic, self.places or other.places)

    def matches(self, other: About) -> bool:
        """Same topic (or one unknown) and overlapping places (or one unknown)."""
        same_topic = None in (self.topic, other.topic) or self.topic == other.topic
        near = (
            not self.places or not other.places or any(_near(a, b) for a in self.places for b in other.places)
        )
        return same_topic and near


def _near(a: str, b: str) -> bool:
    """The same place, or a route and an airport at either end of it."""
    if a == b:
        return True
    (kind_a, value_a), (kind_b, value_b) = a.split(":", 1), b.split(":", 1)
    if {kind_a, kind_b} != {"route", "airport"}:
        return False
    route, airport = (value_a, value_b) if kind_a == "route" else (value_b, value_a)
    return airport in route.split("-")


@dataclass
class Incident:
    """An open incident: what the alert row says, updated as signals join."""

    ref: int
    workspace_id: str
    topic: str | None
    started_at: datetime
    last_seen_at: datetime
    signals: int = 1
    keys: set[str] = field(default_factory=set)
    peak_ratio: float = 1.0
    lead: Signal | None = None  # the most specific signal so far, which names the alert
    alert_id: int | None = None  # the alert row, once recorded
    # where it is (route/airport labels); empty: not known yet, as in checkpoints from before places
    places: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    incident: Incident
    is_new: bool
    escalated: bool  # severity or scope grew: worth re-notifying


def volume_ratio(signal: Signal) -> float:
    return (signal.count + 1.0) / (signal.expected + 1.0)


class IncidentGrouper:
    """Holds open incidents per workspace; picklable with the monitor's state."""

    def __init__(self, cooldown: timedelta = timedelta(hours=2)) -> None:
        self.cooldown = cooldown
        self._open: list[Incident] = []
        self._refs = itertools.count(1)

    def offer(
        self, workspace_id: str, signal: Signal, describe: Callable[[], About] | None = None
    ) -> Decision:
        """Attach ``signal`` to the open incident about the same thing, or open a new one.

        ``describe`` says what the signal's events are about; it is called only where the key does not
        say and the answer matters (an incident to match, or a new incident to mark).
        """
        self._open = [i for i in self._open if signal.at - i.last_seen_at <= self.cooldown]
        about = About.of_key(signal.key)
        known = about.topic is not None and bool(about.places)
        mine = [i for i in self._open if i.workspace_id == workspace_id]
        if not known and describe is not None and mine:
            about, describe = about.filled(describe()), None
        for incident in mine:
            if about.matches(About(incident.topic, incident.places)):
                return Decision(incident, False, self._join(incident, signal, about))
        if not known and describe is not None:
            about = about.filled(describe())
        incident = Incident(next(self._refs), workspace_id, about.topic, signal.at, signal.at, lead=signal)
        incident.places = about.places
        incident.keys.add(signal.key.name)
        incident.peak_ratio = volume_ratio(signal)
        self._open.append(incident)
        return Decision(incident, True, False)

    def _join(self, incident: Incident, signal: Signal, about: About) -> bool:
        grew = signal.key.name not in incident.keys or volume_ratio(signal) > 2 * incident.peak_ratio
        incident.topic = incident.topic or about.topic
        incident.places = incident.places or about.places
        incident.last_seen_at = max(incident.last_seen_at, signal.at)
        incident.signals += 1
        incident.keys.add(signal.key.name)
        incident.peak_ratio = max(incident.peak_ratio, volume_ratio(signal))
        if incident.lead is None or _specificity(signal) > _specificity(incident.lead):
            incident.lead = signal
        return grew


def _specificity(signal: Signal) -> tuple[int, float]:
    """Prefer the most specific key (topic x route over topic over overall), then the strongest."""
    name = signal.key.name
    level = 0 if not name.startswith("topic:") else 1 + name.count("|")
    return level, signal.evidence


def severity(ratio: float, customer_value: float, public_share: float) -> str:
    """Volume (doublings over normal, up to 4), customer value (0..1) and public reach (0..1), in points."""
    points = min(max(math.log2(max(ratio, 1.0)), 0.0), 4.0) + 2.0 * customer_value + 2.0 * public_share
    if points >= 5.0:
        return "critical"
    if points >= 3.5:
        return "high"
    if points >= 2.0:
        return "medium"
    return "low"
