"""The stream replay's judge: each new alert against the simulated truth (a planted failure, the storm, one
disrupted flight, or false), in that order. ``sim_replay.py`` replays the world; docs/realtime.md explains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from parallax.alerts.events import SeriesKey
from parallax.alerts.flight_causes import explained_by
from parallax.alerts.flight_status import FlightStatus

DISRUPTION_WORDS = ("delay", "cancel", "disruption", "missed")  # matched inside topic names


@dataclass(frozen=True)
class AlertSeen:
    at: datetime
    key: str
    topic: str | None
    entities: tuple[str, ...]
    true: bool
    planted: bool = False  # about a planted failure: a real problem, neither the storm nor false
    flight: str | None = None  # the disrupted flight a flight incident is about ("PX229 LHR-MAD cancelled")
    labels: tuple[str, ...] = ()  # the entities with their kinds ("route:LHR-MAD"), as the rule reads them

    @property
    def verdict(self) -> str:
        if self.true:
            return "storm"
        return "planted failure" if self.planted else "flight incident" if self.flight else "false"


@dataclass(frozen=True)
class OpsSeen:
    """A new alert from the flight-status feed."""

    at: datetime
    airport: str
    flights: tuple[str, ...]  # the disrupted flights that raised it
    true: bool

    @property
    def verdict(self) -> str:
        return "storm" if self.true else "false"


@dataclass(frozen=True)
class Truth:
    """What the judge reads from the simulator: the storm's airports and routes and its window (with the
    lead and grace), the planted failures' places (``route:MAD-FCO``; ``whole``: those that are a failure by
    themselves, not a route's business cabin or an airport's gold members), the flight-status feed and
    which of its flights the storm hit."""

    marks: frozenset[str]
    window: tuple[datetime, datetime]
    failures: frozenset[str]
    statuses: tuple[FlightStatus, ...] = ()
    hit: frozenset[tuple[str, datetime]] = frozenset()
    whole: frozenset[str] = frozenset()


def judge(
    truth: Truth, at: datetime, key: str, categories: Sequence[str], labels: Sequence[str]
) -> AlertSeen:
    """One new complaint alert against the simulated truth (``labels``: its top entities, most common
    first, ``route:LHR-MAD``).

    A planted failure first: an alert that names a failing route or airport (in its key, or as its first
    place where that place is the whole failure) with a topic that is not a disruption is about that
    failure, even inside the storm's window
    (seed 202's in-flight alert on the old aircraft of MAD-FCO, which serves the storm's FCO). Then the
    storm: a delay or cancellation topic or a storm place inside the window, or a disrupted flight the
    alert names that the storm hit (a long-haul flight cancelled hours before it was due to land in the
    storm). Then the one-flight incident; then an alert whose key names a failure (its topic a
    disruption, outside the storm) is still that failure; every other alert is false.
    """
    entities = tuple(label.split(":", 1)[1] for label in labels)
    topic = SeriesKey(key).topic
    main = topic or (categories[0] if categories else "")
    worded = any(_disruption(t) for t in [*categories, topic or ""])
    named = any(place in key for place in truth.failures)
    first_place = next((label for label in labels if label.split(":", 1)[0] in ("route", "airport")), None)
    failure = (named or first_place in truth.whole) and not _disruption(main)
    flights = explained_by(truth.statuses, labels, at) if worded and not failure else ()
    about = worded or bool(truth.marks.intersection(entities))
    inside = truth.window[0] <= at <= truth.window[1]
    true = not failure and ((about and inside) or hit_any(flights, truth.hit))
    planted = failure or (not true and named)
    flight = flights[0].describe() if flights and not (true or planted) else None
    return AlertSeen(at, key, topic, entities, true, planted, flight, tuple(labels))


def _disruption(topic: str) -> bool:
    return any(word in topic for word in DISRUPTION_WORDS)


def hit_any(flights: Iterable[FlightStatus], hit: frozenset[tuple[str, datetime]]) -> bool:
    return any((f.flight, f.scheduled) in hit for f in flights)
