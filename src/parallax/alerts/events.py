"""What the stream carries into the detectors: one enriched interaction, reduced to what spikes need.

Example:
    >>> from datetime import datetime
    >>> at = datetime(2026, 1, 1)
    >>> e = SignalEvent("acme", "x", "1", at, "twitter", "negative", "delay", {"route": "LHR-JFK"})
    >>> e.natural_key
    'acme|x|1'
    >>> [k.name for k in event_keys(e)][1:4]
    ['topic:delay', 'topic:delay|route:LHR-JFK', 'topic:delay|channel:twitter']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PUBLIC_CHANNELS = frozenset({"twitter", "facebook", "instagram", "review", "app_store", "forum", "news"})
# Segment attributes a spike can be "about", in the order they are tried.
SEGMENT_KEYS = ("route", "airport")


@dataclass(frozen=True)
class SignalEvent:
    """An enriched interaction as the detectors see it (text already redacted)."""

    workspace_id: str
    source: str
    external_id: str
    occurred_at: datetime
    channel: str
    sentiment: str  # negative | neutral | positive
    category: str | None = None
    segments: dict[str, str] = field(default_factory=dict)
    entities: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""
    customer_value: float = 0.0  # 0..1: share of the top loyalty tiers / value
    arrived: float = 0.0  # monotonic arrival time in the receiving process, for latency figures

    @property
    def natural_key(self) -> str:
        return f"{self.workspace_id}|{self.source}|{self.external_id}"

    @property
    def public(self) -> bool:
        return self.channel in PUBLIC_CHANNELS


@dataclass(frozen=True, order=True)
class SeriesKey:
    """One counted series: ``negative``, ``topic:delay``, ``topic:delay|route:LHR-JFK``, ``sentiment:...``."""

    name: str

    @property
    def topic(self) -> str | None:
        head = self.name.split("|", 1)[0]
        return head.split(":", 1)[1] if head.startswith("topic:") else None

    @property
    def family(self) -> str:
        """Keys of one family describe one incident (a delay topic and its routes): grouped into one alert."""
        return self.name.split("|", 1)[0]


def event_keys(event: SignalEvent) -> list[SeriesKey]:
    """The series an event counts towards: overall negative volume, topic, topic x segment, sentiment."""
    keys: list[SeriesKey] = []
    if event.sentiment == "negative":
        keys.append(SeriesKey("negative"))
        if event.category:
            topic = f"topic:{event.category}"
            keys.append(SeriesKey(topic))
            segments = [(seg, event.segments[seg]) for seg in SEGMENT_KEYS if event.segments.get(seg)]
            keys.extend(SeriesKey(f"{topic}|{seg}:{value}") for seg, value in segments)
            keys.append(SeriesKey(f"{topic}|channel:{event.channel}"))
    keys.append(SeriesKey(f"sentiment:{event.sentiment}"))
    return keys
