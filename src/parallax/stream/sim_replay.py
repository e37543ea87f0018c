"""Replaying a simulated world through the detectors: is the planted disruption alerted in time, and how
many alerts are false?

Every inbound interaction with text (public posts, reviews, tickets as opened) is replayed in time order
with its simulated timestamps, one simulated minute at a time (a live stream scores within seconds; a
batch of a fixed number of messages would span half an hour of a quiet night and delay every alert by it).
An alert about one of the simulator's planted failures (its key, or its first place among the entities,
names the failing route or airport, and its topic is not a delay or cancellation) is a real problem found,
counted apart, and judged so first: inside the storm's window too (``judge``). An alert is *true* (the
storm) when it is about the disruption (a delay or cancellation topic, or one of the disrupted airports or
routes among its entities) and fires between ``lead`` before the storm's start (airlines cancel ahead of a
storm, and the simulated customers complain about it) and ``grace`` after its end, or when a disrupted
flight it names is one the storm hit in the simulator's truth (a long-haul flight cancelled hours before
it was due to land in the storm). A *flight incident* is counted apart too: an alert outside the storm
about a delay or cancellation that names (by code or route) a flight the simulator cancelled or delayed two
hours or more, due to leave within six hours before the alert or one after it (one flight's passengers
complaining: a real event, found by the same rule the product uses to say which flights a spike follows,
``alerts/flight_causes.py``, applied to the simulated truth). Every other new alert is false.

Two clocks for the delay. The storm's start is when the weather arrives, but the simulator's customers
complain about a flight when it is cancelled or delayed at departure (or after landing late): a storm that
starts at night is felt when the morning's flights leave. The *effect* is therefore read from the
simulator's truth: the moment by which ``EFFECT_SHARE`` of the storm-hit customers' first complaints have
been posted (a handful of early complaints from the evening's last arrivals does not set the clock).

The airline's flight-status feed is replayed too, as a separate input (``alerts/flight_status.py``): every
scheduled flight is reported at its scheduled departure with the delay or cancellation the simulator gave
it, and the ops alerts are judged on their own (about the storm when one of their disrupted flights is
storm-hit in the simulator's truth, or when they touch a storm airport inside the same window), timed from
the storm's start and from the feed's first storm-hit flight.
The complaint figures do not use the feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

import numpy as np

from parallax.alerts.engine import SpikeEngine
from parallax.alerts.flight_causes import BEFORE, explained_by
from parallax.alerts.flight_status import FlightStatus
from parallax.alerts.ops_alerts import FlightStatusEngine
from parallax.kit.clock import to_naive_utc
from parallax.simulate.network import ROUTES
from parallax.stream.enrichment import StreamEnricher
from parallax.stream.sim_judge import AlertSeen, OpsSeen, Truth, hit_any, judge

EFFECT_SHARE = 0.05


@dataclass(frozen=True)
class ReplayResult:
    onset: datetime
    end: datetime
    days: float
    interactions: int
    alerts: tuple[AlertSeen, ...]
    effect: datetime | None = None  # when the storm's complaints began, from the simulator's truth
    ops_alerts: tuple[OpsSeen, ...] = ()
    ops_hit: datetime | None = None  # the feed's first storm-hit flight (its scheduled departure)
    chance: tuple[int, int] = (0, 0)  # the one-flight rule's matches by chance: (matches, tries)

    @property
    def first_true(self) -> datetime | None:
        return min((a.at for a in self.alerts if a.true), default=None)

    @property
    def detection_delay(self) -> timedelta | None:
        """First true alert minus the storm's start."""
        return _between(self.first_true, self.onset)

    @property
    def effect_delay(self) -> timedelta | None:
        """First true alert minus the moment the storm's complaints began."""
        return _between(self.first_true, self.effect)

    @property
    def false_alerts(self) -> int:
        return sum(a.verdict == "false" for a in self.alerts)

    @property
    def false_per_week(self) -> float:
        return self.false_alerts / (self.days / 7.0)

    @property
    def flight_incidents(self) -> int:
        """Alerts about one disrupted flight outside the storm (real, and not false; not the storm)."""
        return sum(a.verdict == "flight incident" for a in self.alerts)

    @property
    def first_ops(self) -> datetime | None:
        return min((a.at for a in self.ops_alerts if a.true), default=None)

    @property
    def ops_delay(self) -> timedelta | None:
        """First ops alert about the storm minus the storm's start."""
        return _between(self.first_ops, self.onset)

    @property
    def ops_hit_delay(self) -> timedelta | None:
        """First ops alert about the storm minus the feed's first storm-hit flight."""
        return _between(self.first_ops, self.ops_hit)

    @property
    def ops_false(self) -> int:
        return sum(not a.true for a in self.ops_alerts)

    @property
    def first_either(self) -> datetime | None:
        """The first alert about the storm from either input: what a duty manager sees first."""
        return min((t for t in (self.first_true, self.first_ops) if t is not None), default=None)

    @property
    def either_effect_delay(self) -> timedelta | None:
        """First alert of either input minus the moment the storm's complaints began."""
        return _between(self.first_either, self.effect)


def _between(later: datetime | None, earlier: datetime | None) -> timedelta | None:
    """``later - earlier``, or None where either moment is unknown (not alerted, no complaints)."""
    return None if later is None or earlier is None else later - earlier


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


def storm_effect(world: Any, lead: timedelta, grace: timedelta) -> datetime | None:
    """When ``EFFECT_SHARE`` of the first complaints by customers on storm-hit flights had been posted."""
    hit = np.asarray(world.ops.storm)[np.asarray(world.trips.flight)]
    low = world.disruption.start_h - lead / timedelta(hours=1)
    high = world.disruption.end_h + grace / timedelta(hours=1)
    hours = sorted(u.at_h for u in world.voice if u.repeat == 0 and hit[u.trip] and low <= u.at_h <= high)
    if not hours:
        return None
    at = hours[int(EFFECT_SHARE * (len(hours) - 1))]
    return to_naive_utc(world.config.start) + timedelta(hours=float(at))


def world_flight_statuses(world: Any, workspace_id: str = "acme") -> list[FlightStatus]:
    """Every scheduled flight of a simulated world as the status feed reports it at its departure time."""
    start = to_naive_utc(world.config.start)
    schedule, ops = world.schedule, world.ops
    codes = schedule.flight_codes()
    statuses = [
        FlightStatus(
            workspace_id,
            str(codes[i]),
            ROUTES[int(schedule.route[i])].origin,
            ROUTES[int(schedule.route[i])].destination,
            start + timedelta(hours=float(schedule.departure_h[i])),
            float(ops.delay_min[i]),
            bool(ops.cancelled[i]),
        )
        for i in range(len(schedule))
    ]
    return sorted(statuses, key=lambda s: s.scheduled)


def storm_hit_report(world: Any) -> datetime | None:
    """When the feed first reports a storm-hit flight (it may leave before the storm, to land in it)."""
    hit = np.flatnonzero(np.asarray(world.ops.storm))
    if hit.size == 0:
        return None
    first = float(np.asarray(world.schedule.departure_h)[hit].min())
    return to_naive_utc(world.config.start) + timedelta(hours=first)


def storm_hit_flights(world: Any) -> frozenset[tuple[str, datetime]]:
    """(flight, scheduled departure) of every flight the simulator's storm hit (leaving or landing in it)."""
    start = to_naive_utc(world.config.start)
    codes = world.schedule.flight_codes()
    departures = np.asarray(world.schedule.departure_h)
    return frozenset(
        (str(codes[i]), start + timedelta(hours=float(departures[i])))
        for i in np.flatnonzero(np.asarray(world.ops.storm))
    )


def replay_ops(
    statuses: list[FlightStatus],
    airports: set[str],
    window: tuple[datetime, datetime],
    hit: frozenset[tuple[str, datetime]] = frozenset(),
) -> tuple[OpsSeen, ...]:
    """Run the status feed through a fresh ops engine; an alert is about the storm when one of its
    disrupted flights is storm-hit in the simulator's truth (``hit``: a long-haul flight due to land in
    the storm is reported hours before it starts), or when it is inside ``window`` and its disrupted
    flights touch one of the storm's ``airports``."""
    seen = []
    for alert in FlightStatusEngine().process_batch(statuses):
        if not alert.is_new:
            continue
        signal = alert.signal
        near = bool(signal.airports & airports) and window[0] <= signal.at <= window[1]
        seen.append(
            OpsSeen(signal.at, signal.airport, signal.described(), near or hit_any(signal.flights, hit))
        )
    return tuple(seen)


def _by_minute(payloads: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [
        list(g) for _, g in groupby(payloads, key=lambda r: r["occurred_at"].replace(second=0, microsecond=0))
    ]


def replay(
    world: Any, grace: timedelta = timedelta(hours=6), lead: timedelta = timedelta(hours=3)
) -> ReplayResult:
    """Run the world's interactions through a fresh engine, a simulated minute at a time, and judge alerts."""
    start = to_naive_utc(world.config.start)
    onset = start + timedelta(hours=world.disruption.start_h)
    end = start + timedelta(hours=world.disruption.end_h)
    window = (onset - lead, end + grace)
    payloads, statuses = world_payloads(world), world_flight_statuses(world)
    places = [[f"{k}:{v}" for k, v in f.segment if k in ("route", "airport")] for f in world.failures]
    truth = Truth(
        frozenset({*world.disruption.airports, *world.disruption.routes}),
        window,
        frozenset(p for failure in places for p in failure),
        tuple(statuses),
        storm_hit_flights(world),
        frozenset(p[0] for p, f in zip(places, world.failures, strict=True) if len(f.segment) == 1 and p),
    )
    engine, enricher = SpikeEngine(), StreamEnricher()
    seen: list[AlertSeen] = []
    for minute in _by_minute(payloads):
        for outcome in engine.process_batch(enricher.enrich(minute)):
            if outcome.decision.is_new:
                labels = [label for label, _ in outcome.context.top_entities]
                categories = [c for c, _ in outcome.context.top_categories]
                at, key = outcome.trigger.occurred_at, outcome.signal.key.name
                seen.append(judge(truth, at, key, categories, labels))
    effect = storm_effect(world, lead, grace)
    ops = replay_ops(statuses, set(world.disruption.airports), window, truth.hit)
    chance = chance_match(seen, statuses, window)
    return ReplayResult(
        onset,
        end,
        world.config.days,
        len(payloads),
        tuple(seen),
        effect,
        ops,
        storm_hit_report(world),
        chance,
    )


def chance_match(
    alerts: list[AlertSeen], statuses: list[FlightStatus], storm: tuple[datetime, datetime]
) -> tuple[int, int]:
    """How often the one-flight rule would find a disrupted flight for an alert's entities by chance: each
    alert moved 1 to 3 days either way (same hour, outside the storm's window and the feed's days), as
    (matches, tries). A low share says a flight incident's match is not a coincidence."""
    if not statuses:
        return 0, 0
    first, last = statuses[0].scheduled + BEFORE, statuses[-1].scheduled
    matches = tries = 0
    for alert in alerts:
        for days in (-3, -2, -1, 1, 2, 3):
            at = alert.at + timedelta(days=days)
            if first <= at <= last and not storm[0] <= at <= storm[1]:
                tries += 1
                matches += bool(explained_by(statuses, alert.labels, at))
    return matches, tries


def _minutes(delta: timedelta | None) -> str:
    return "not alerted" if delta is None else f"{delta.total_seconds() / 60:+.0f} min"


def summary(seed: int, airports: tuple[str, ...], result: ReplayResult) -> str:
    """One line per world: both delays and the false alerts."""
    effect = "-" if result.effect is None else f"{result.effect:%Y-%m-%d %H:%M}"
    return (
        f"seed {seed}: storm over {', '.join(airports)} from {result.onset:%Y-%m-%d %H:%M} (complaints from "
        f"{effect}); {result.interactions} interactions; first true alert {_minutes(result.detection_delay)} "
        f"from the storm's start, {_minutes(result.effect_delay)} from its complaints; "
        f"{result.false_alerts} false alerts ({result.false_per_week:.1f} per simulated week), "
        f"{result.flight_incidents} about one disrupted flight; flight-status "
        f"feed: first ops alert {_minutes(result.ops_delay)} from the storm's start, "
        f"{_minutes(result.ops_hit_delay)} from its first storm-hit flight, {result.ops_false} false; "
        f"first alert of either input {_minutes(result.either_effect_delay)} from its complaints"
    )


def markdown(command: str, runs: list[tuple[int, tuple[str, ...], ReplayResult]]) -> str:
    """The BENCHMARKS.md section: one row per seed, then every alert."""
    lines = [
        "## Stream on a simulated world",
        "",
        f"`{command}`: each world replayed a simulated minute at a time through the stream's detectors. "
        "Delays are from the storm's start and from the moment its complaints began (when "
        f"{EFFECT_SHARE:.0%} of the storm-hit customers' first complaints had been posted, from the "
        "simulator's truth); see docs/realtime.md. A *one-flight incident* is an alert outside the storm "
        "about a delay or cancellation naming a flight (by code or route) that the simulator cancelled or "
        "delayed 2 h or more, due from 6 h before the alert to 1 h after it: real, so not false, and not "
        "the storm either. *Chance matches*: the same rule on every alert moved 1 to 3 days either way "
        "(outside the storm): how often it would find such a flight by coincidence.",
        "",
        "| seed | storm | storm start | complaints from | from start | from complaints | false alerts "
        "| per week | one-flight incidents | chance matches |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for seed, airports, r in runs:
        effect = "-" if r.effect is None else f"{r.effect:%m-%d %H:%M}"
        lines.append(
            f"| {seed} | {', '.join(airports)} | {r.onset:%m-%d %H:%M} | {effect} "
            f"| {_minutes(r.detection_delay)} | {_minutes(r.effect_delay)} | {r.false_alerts} "
            f"| {r.false_per_week:.1f} | {r.flight_incidents} | {r.chance[0]} of {r.chance[1]} |"
        )
    lines += [
        "",
        "Flight-status feed (a separate input: every flight reported at its scheduled departure; "
        "ops alerts per airport, not counted above):",
        "",
        "| seed | first storm-hit flight | first ops alert | from start | from first storm-hit flight "
        "| false ops alerts | either input, from complaints |",
        "|---|---|---|---|---|---|---|",
    ]
    for seed, _, r in runs:
        hit = "-" if r.ops_hit is None else f"{r.ops_hit:%m-%d %H:%M}"
        first = "-" if r.first_ops is None else f"{r.first_ops:%m-%d %H:%M}"
        lines.append(
            f"| {seed} | {hit} | {first} | {_minutes(r.ops_delay)} | {_minutes(r.ops_hit_delay)} "
            f"| {r.ops_false} | {_minutes(r.either_effect_delay)} |"
        )
    lines += [
        "",
        "Each world's first three ops alerts about the storm and every false one (one alert per airport and "
        "incident):",
        "",
        "| seed | ops alert at | airport | disrupted flights | verdict |",
        "|---|---|---|---|---|",
    ]
    for seed, _, r in runs:
        storm = [o for o in r.ops_alerts if o.true][:3]
        for o in sorted([*storm, *(o for o in r.ops_alerts if not o.true)], key=lambda o: o.at):
            flights = ", ".join(o.flights[:4]) + (", ..." if len(o.flights) > 4 else "")
            lines.append(f"| {seed} | {o.at:%Y-%m-%d %H:%M} | {o.airport} | {flights} | {o.verdict} |")
    lines += ["", "| seed | alert at | key | entities | verdict |", "|---|---|---|---|---|"]
    for seed, _, r in runs:
        for a in r.alerts:
            entities = ", ".join(a.entities[:3])
            key = a.key.replace("|", "\\|")  # topic:x|route:y inside a table cell
            verdict = f"{a.verdict}: {a.flight}" if a.flight else a.verdict
            lines.append(f"| {seed} | {a.at:%Y-%m-%d %H:%M} | {key} | {entities} | {verdict} |")
    return "\n".join(lines)
