"""Replaying a simulated world through the detectors: is the planted disruption alerted in time, and how
many alerts are false?

Every inbound interaction with text (public posts, reviews, tickets as opened) is replayed in time order
with its simulated timestamps. An alert is *true* when it is about the disruption (a delay or
cancellation topic, or one of the disrupted airports or routes among its entities) and fires between
``lead`` before the storm's start (airlines cancel ahead of a storm, and the simulated customers complain
about it) and ``grace`` after its end; every other new alert is false. The detection delay is the first
true alert's time minus the storm's start (negative: before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from parallax.alerts.engine import SpikeEngine
from parallax.kit.clock import to_naive_utc
from parallax.stream.enrichment import StreamEnricher

DISRUPTION_WORDS = ("delay", "cancel", "disruption", "missed")  # matched inside topic names


@dataclass(frozen=True)
class AlertSeen:
    at: datetime
    key: str
    topic: str | None
    entities: tuple[str, ...]
    true: bool


@dataclass(frozen=True)
class ReplayResult:
    onset: datetime
    end: datetime
    days: float
    interactions: int
    alerts: tuple[AlertSeen, ...]

    @property
    def detection_delay(self) -> timedelta | None:
        hits = [a.at for a in self.alerts if a.true]
        return min(hits) - self.onset if hits else None

    @property
    def false_alerts(self) -> int:
        return sum(not a.true for a in self.alerts)

    @property
    def false_per_week(self) -> float:
        return self.false_alerts / (self.days / 7.0)


def world_payloads(world: Any, workspace_id: str = "acme") -> list[dict[str, Any]]:
    """Inbound text interactions of a simulated world as stream payloads, in time order."""
    start = to_naive_utc(world.config.start)
    rows: list[dict[str, Any]] = []
    for row in world.records.social:
        if row.get("text"):
            rows.append({**row, "workspace_id": workspace_id})
    for row in world.records.reviews:
        segments = {"route": row["route"]} if row.get("route") else {}
        rows.append(
            {
                "workspace_id": workspace_id,
                "source": str(row.get("platform", "reviews")),
                "external_id": str(row["review_id"]),
                "channel": "review",
                "occurred_at": row["date"],
                "text": f"{row.get('title', '')}. {row.get('text', '')}",
                "segments": segments,
            }
        )
    tickets = world.tickets
    for i in range(len(tickets)):
        rows.append(
            {
                "workspace_id": workspace_id,
                "source": "tickets",
                "external_id": f"T{i + 1:06d}",
                "channel": str(tickets.channel[i]),
                "occurred_at": (start + timedelta(hours=float(tickets.created_h[i]))).isoformat(),
                "text": f"{tickets.subject[i]}. {tickets.description[i]}",
                "segments": {},
            }
        )
    for row in rows:
        row["occurred_at"] = to_naive_utc(
            datetime.fromisoformat(str(row["occurred_at"]).replace("Z", "+00:00"))
        )
    return sorted(rows, key=lambda r: r["occurred_at"])


def replay(
    world: Any, grace: timedelta = timedelta(hours=6), lead: timedelta = timedelta(hours=3), batch: int = 50
) -> ReplayResult:
    """Run the world's interactions through a fresh engine and judge every new alert."""
    start = to_naive_utc(world.config.start)
    onset = start + timedelta(hours=world.disruption.start_h)
    end = start + timedelta(hours=world.disruption.end_h)
    marks = {*world.disruption.airports, *world.disruption.routes}
    payloads = world_payloads(world)
    engine, enricher = SpikeEngine(), StreamEnricher()
    seen: list[AlertSeen] = []
    for i in range(0, len(payloads), batch):
        for outcome in engine.process_batch(enricher.enrich(payloads[i : i + batch])):
            if not outcome.decision.is_new:
                continue
            entities = tuple(label.split(":", 1)[1] for label, _ in outcome.context.top_entities)
            topics = [c for c, _ in outcome.context.top_categories] + [outcome.signal.key.topic or ""]
            worded = any(word in topic for topic in topics for word in DISRUPTION_WORDS)
            about = worded or bool(marks.intersection(entities))
            at = outcome.trigger.occurred_at
            true = about and onset - lead <= at <= end + grace
            seen.append(AlertSeen(at, outcome.signal.key.name, outcome.signal.key.topic, entities, true))
    return ReplayResult(onset, end, world.config.days, len(payloads), tuple(seen))
