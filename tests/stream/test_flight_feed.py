"""The flight-status feed through the in-process worker: one ops alert for the disrupted airport, counted
once on redelivery, malformed messages reported and skipped, state kept across a checkpoint restart."""

from __future__ import annotations

import asyncio
import logging
import pickle
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts.engine import SpikeEngine
from parallax.alerts.notify import Notification
from parallax.store.models import Alert
from parallax.stream.bus import InProcessBus, natural_key
from parallax.stream.checkpoint import FileCheckpoint
from parallax.stream.enrichment import StreamEnricher
from parallax.stream.flight_feed import read_flights_csv
from parallax.stream.worker import AlertSink, StreamWorker

VADER = StreamEnricher(use_pipeline=False)
START = datetime(2026, 3, 2, 6, 0)
STORM_AT = START + timedelta(hours=6)
OTHERS = ("LHR", "BCN", "CDG", "FRA")
# The other airports' own traffic, three flights a slot: each sees a cancelled AMS flight only every fourth
# slot, between several of its own on-time ones, so only AMS's run of cancellations is a disruption.
PAIRS = (("LHR", "BCN"), ("CDG", "FRA"), ("BCN", "CDG"), ("FRA", "LHR"), ("LHR", "CDG"), ("BCN", "FRA"))


def _message(
    flight: str, origin: str, destination: str, at: datetime, status: str, delay: float = 0.0
) -> dict:
    return {
        "kind": "flight_status",
        "workspace_id": "acme",
        "flight": flight,
        "origin": origin,
        "destination": destination,
        "scheduled": at.isoformat(),
        "status": status,
        "delay_min": delay,
    }


def _feed(hours: float = 8.0) -> list[dict[str, Any]]:
    """A flight every 10 minutes from AMS and three between the others; AMS's are cancelled from STORM_AT
    (a few ordinary delays under two hours on both sides of it)."""
    out = []
    for slot in range(int(hours * 6)):
        at = START + timedelta(minutes=10 * slot)
        ams = "cancelled" if at >= STORM_AT else ("delayed" if slot % 7 == 3 else "scheduled")
        out.append(_message(f"PX{100 + slot}", "AMS", OTHERS[slot % 4], at, ams, 35.0 * (ams == "delayed")))
        for k in range(3):
            origin, destination = PAIRS[(3 * slot + k) % len(PAIRS)]
            out.append(_message(f"PX{500 + 3 * slot + k}", origin, destination, at, "scheduled"))
    return out


class Collecting:
    name = "collect"

    def __init__(self) -> None:
        self.notes: list[Notification] = []

    async def send(self, note: Notification) -> None:
        self.notes.append(note)


async def _drain(worker: StreamWorker, bus: InProcessBus, payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        await bus.publish(payload)
    while bus.pending():
        await worker.step(timeout=0.01)
    await worker.checkpoint()
    if worker.sink is not None:
        await worker.sink.drain()


def _run(worker: StreamWorker, bus: InProcessBus, payloads: list[dict[str, Any]]) -> None:
    asyncio.run(_drain(worker, bus, payloads))


def _alerts(factory: sessionmaker[Session]) -> list[Alert]:
    with factory() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def test_cancellations_at_one_airport_raise_one_ops_alert_notified_once(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    bus, notifier = InProcessBus(), Collecting()
    worker = StreamWorker(bus, AlertSink(session_factory, [notifier]), VADER, batch_size=8)  # updates too
    feed = _feed()
    _run(worker, bus, feed)
    alerts = _alerts(session_factory)
    assert [(a.rule, a.key) for a in alerts] == [("flight-status", "ops:disrupted|airport:AMS")]
    alert = alerts[0]
    assert alert.title.startswith("Operations: ") and alert.severity == "high"
    assert STORM_AT <= alert.started_at <= STORM_AT + timedelta(minutes=30)
    assert alert.count >= 4 and alert.last_seen_at > alert.started_at  # later cancellations joined it
    detail = alert.detail["latest"]  # written by a later batch's signal of the same incident
    assert detail["source"] == "flight-status" and detail["airport"] == "AMS"
    assert "airport:AMS" in detail["entities"] and detail["entities"][-1].startswith("flight:PX1")
    assert [n.alert_id for n in notifier.notes] == [alert.id]
    assert notifier.notes[0].fields["Source"] == "flight-status"
    assert worker.stats.flight_statuses == len(feed) and worker.stats.ops_alerts_new == 1


def test_redelivered_flight_statuses_count_once(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    feed = _feed()
    bus = InProcessBus()
    twice = StreamWorker(bus, AlertSink(session_factory), VADER, batch_size=50)
    _run(twice, bus, [p for payload in feed for p in (payload, payload)])
    once_bus = InProcessBus()
    once = StreamWorker(once_bus, None, VADER, batch_size=50)
    _run(once, once_bus, feed)
    assert twice.flights.processed == len(feed) and twice.stats.duplicates == len(feed)
    assert twice.flights.engine.checkpoint() == once.flights.engine.checkpoint()  # the same detector state
    assert len(_alerts(session_factory)) == 1


def test_a_malformed_message_is_reported_and_skipped(
    session_factory: sessionmaker[Session], workspace: str, caplog: pytest.LogCaptureFixture
) -> None:
    feed = _feed()
    bad = [
        {**feed[0], "flight": "PX9", "status": "diverted"},
        {"kind": "flight_status", "workspace_id": "acme"},  # no flight at all: it still gets an id
        {**feed[1], "flight": "PX8", "origin": "amsterdam"},
    ]
    bus = InProcessBus()
    worker = StreamWorker(bus, AlertSink(session_factory), VADER, batch_size=50)
    with caplog.at_level(logging.WARNING, logger="parallax.stream.worker"):
        _run(worker, bus, feed[:10] + bad + feed[10:])
    assert worker.stats.rejected == 3 and worker.stats.flight_statuses == len(feed)
    assert "PX9" in caplog.text and "status" in caplog.text and "origin" in caplog.text
    assert len(_alerts(session_factory)) == 1


def test_feed_and_complaints_share_the_bus_and_the_checkpoint(
    session_factory: sessionmaker[Session],
    workspace: str,
    tmp_path: Path,
    disrupted_day: list[dict[str, Any]],
) -> None:
    feed, complaints = _feed(), disrupted_day[:40]
    half = len(feed) // 2 + 40  # the restart falls inside the AMS disruption
    mixed = [p for pair in zip(complaints, feed, strict=False) for p in pair] + feed[len(complaints) :]
    store = FileCheckpoint(tmp_path / "stream.ckpt")
    bus = InProcessBus()
    first = StreamWorker(bus, AlertSink(session_factory), VADER, checkpoints=store, batch_size=50)
    _run(first, bus, mixed[:half])
    bus = InProcessBus()
    second = StreamWorker(bus, AlertSink(session_factory), VADER, checkpoints=store, batch_size=50)
    _run(second, bus, mixed[half - 30 :])  # the last 30 come again after the restart
    assert second.engine.processed == len(complaints)
    assert second.flights.processed == len(feed)
    assert [a.key for a in _alerts(session_factory)] == ["ops:disrupted|airport:AMS"]


def test_a_checkpoint_from_before_the_feed_still_restores(tmp_path: Path) -> None:
    engine = SpikeEngine()
    store = FileCheckpoint(tmp_path / "old.ckpt")
    store.save(engine.checkpoint())
    worker = StreamWorker(InProcessBus(), None, VADER, checkpoints=store)
    assert isinstance(worker.engine, SpikeEngine) and worker.flights.processed == 0
    assert isinstance(pickle.loads(store.load() or b""), SpikeEngine)


def test_message_ids_dedupe_and_the_csv_reader(tmp_path: Path) -> None:
    first = _message("PX1", "AMS", "LHR", START, "cancelled")
    assert natural_key(first) == natural_key(dict(first)) != natural_key({**first, "flight": "PX2"})
    assert natural_key({**first, "message_id": "m-1"}) == "acme|flight-status|m-1"
    path = tmp_path / "flights.csv"
    path.write_text(
        "flight,origin,destination,scheduled,status,delay_min\n"
        "PX1,AMS,LHR,2026-03-02T06:00:00Z,cancelled,\n"
        "PX2,AMS,BCN,2026-03-02T06:10:00+01:00,delayed,150\n"
        "PX3,AMS,CDG,2026-03-02T06:20:00Z,late,0\n"
        "PX4,AMS,FRA,not a time,scheduled,0\n"
    )
    messages, errors = read_flights_csv(path, "acme")
    assert [m["flight"] for m in messages] == ["PX1", "PX2"]
    assert messages[1]["delay_min"] == 150.0 and messages[0]["kind"] == "flight_status"
    assert [e.split(":")[0] for e in errors] == ["line 4", "line 5"]


async def _through_jetstream(
    url: str, stream: str, feed: list[dict[str, Any]], worker_sink: AlertSink
) -> int:
    from parallax.stream.nats_bus import NatsBus

    subject = f"{stream.lower()}.in"
    publisher = await NatsBus(url, stream=stream, subject=subject).connect(consume=False)
    await publisher.publish_many(feed + feed[:20])  # the re-sent twenty are dropped by Nats-Msg-Id
    consumer = await NatsBus(url, stream=stream, subject=subject, durable="f").connect()
    worker = StreamWorker(consumer, worker_sink, VADER, batch_size=100)
    try:
        deadline = time.monotonic() + 20
        while worker.stats.delivered < len(feed) and time.monotonic() < deadline:
            await worker.step(timeout=0.5)
        await worker.checkpoint()
    finally:
        await consumer.close()
        await publisher.delete_stream()
        await publisher.close()
    return worker.flights.processed


@pytest.mark.nats
def test_the_feed_through_jetstream_raises_one_ops_alert(
    nats_url: str, stream_name: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    feed = _feed()
    processed = asyncio.run(_through_jetstream(nats_url, stream_name, feed, AlertSink(session_factory)))
    assert processed == len(feed)
    assert [a.key for a in _alerts(session_factory)] == ["ops:disrupted|airport:AMS"]


def test_a_complaint_spike_after_a_disrupted_flight_says_which(
    session_factory: sessionmaker[Session],
    workspace: str,
    disrupted_day: list[dict[str, Any]],
    spike_at: datetime,
) -> None:
    """The feed reports PX777 LHR-JFK three hours late just before the day's LHR-JFK delay complaints:
    the complaint alert's title, detail and notification name it; a flight on another route is not named."""
    late = _message("PX777", "LHR", "JFK", spike_at - timedelta(minutes=30), "delayed", 180.0)
    other = _message("PX778", "CDG", "FRA", spike_at - timedelta(minutes=20), "cancelled")
    before = [p for p in disrupted_day if p["occurred_at"] < late["scheduled"]]
    after = disrupted_day[len(before) :]
    bus, notifier = InProcessBus(), Collecting()
    worker = StreamWorker(bus, AlertSink(session_factory, [notifier]), VADER, batch_size=50)
    _run(worker, bus, [*before, late, other, *after])
    complaint = [a for a in _alerts(session_factory) if a.rule != "flight-status"]
    assert len(complaint) == 1
    alert = complaint[0]
    assert alert.title.endswith(" after PX777 LHR-JFK +180 min"), alert.title
    detail = alert.detail.get("latest", alert.detail)
    assert detail["flight_status"] == ["PX777 LHR-JFK +180 min"]
    sent = [n for n in notifier.notes if n.alert_id == alert.id]
    assert sent and sent[0].fields["Flight status"] == "PX777 LHR-JFK +180 min"
