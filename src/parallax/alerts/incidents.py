"""Grouping and cool-down (one incident is one alert) and severity.

Signals of one workspace join the open incident when their topic matches it (or either has no topic: the
overall negative volume rises with any topic's spike). An incident stays open while signals keep coming and
closes after ``cooldown`` without one; only then can the same topic raise a new alert.

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
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parallax.alerts.rules import Signal

SEVERITIES = ("low", "medium", "high", "critical")


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

    def offer(self, workspace_id: str, signal: Signal) -> Decision:
        """Attach ``signal`` to its open incident, or open a new one."""
        self._open = [i for i in self._open if signal.at - i.last_seen_at <= self.cooldown]
        topic = signal.key.topic
        for incident in self._open:
            if incident.workspace_id == workspace_id and (incident.topic in (None, topic) or topic is None):
                return Decision(incident, False, self._join(incident, signal))
        incident = Incident(next(self._refs), workspace_id, topic, signal.at, signal.at, lead=signal)
        incident.keys.add(signal.key.name)
        incident.peak_ratio = volume_ratio(signal)
        self._open.append(incident)
        return Decision(incident, True, False)

    def _join(self, incident: Incident, signal: Signal) -> bool:
        grew = signal.key.name not in incident.keys or volume_ratio(signal) > 2 * incident.peak_ratio
        incident.topic = incident.topic or signal.key.topic
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
