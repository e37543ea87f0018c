"""The in-process pipeline end to end: one alert for the disruption, redacted, deduped, and resumable."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts.engine import Outcome
from parallax.alerts.service import Recorded
from parallax.store.models import Alert, Case
from parallax.store.workspaces import ensure_workspace
from parallax.stream.bus import InProcessBus
from parallax.stream.checkpoint import FileCheckpoint
from parallax.stream.enrichment import PooledEnricher, StreamEnricher
from parallax.stream.worker import AlertSink, StreamWorker

# The stream's mechanics are tested with the VADER + keyword enricher: fast, and independent of the models
# another room trains (the worker uses the shared pipeline by default).
VADER = StreamEnricher(use_pipeline=False)


async def _drain(worker: StreamWorker, bus: InProcessBus, payloads: list[dict[str, Any]]) -> None:
    async def publish() -> None:
        for payload in payloads:
            await bus.publish(payload)

    publisher = asyncio.create_task(publish())
    while not publisher.done() or bus.pending():
        await worker.step(timeout=0.01)
    await publisher
    await worker.checkpoint()


def _run(worker: StreamWorker, bus: InProcessBus, payloads: list[dict[str, Any]]) -> None:
    asyncio.run(_drain(worker, bus, payloads))


def _alerts(factory: sessionmaker[Session]) -> list[Alert]:
    with factory() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def test_disruption_raises_one_redacted_alert_and_a_case(
    session_factory: sessionmaker[Session],
    workspace: str,
    disrupted_day: list[dict[str, Any]],
    spike_at: datetime,
) -> None:
    bus = InProcessBus(maxsize=100)
    worker = StreamWorker(bus, AlertSink(session_factory, escalate_at="high"), VADER)
    _run(worker, bus, disrupted_day)
    alerts = _alerts(session_factory)
    assert len(alerts) == 1
    alert = alerts[0]
    assert spike_at.replace(minute=0) <= alert.started_at <= spike_at.replace(minute=10)
    assert alert.title.startswith("Spike in delay complaints")  # VADER + keyword topics: exact labels
    detail = alert.detail.get("latest", alert.detail)
    assert detail["top_categories"][0][0] == "delay"
    assert "route:LHR-JFK" in [label for label, _ in detail["top_entities"][:2]]
    assert not any("7700" in text or "@" in text for text in detail["examples"])
    assert worker.stats.processed == len(disrupted_day)
    with session_factory() as session:
        cases = list(session.scalars(select(Case)))
    if alert.severity in ("high", "critical"):
        assert [(c.status, c.queue, c.alert_id) for c in cases] == [("new", "operations", alert.id)]


def test_redelivery_is_counted_once(
    session_factory: sessionmaker[Session], workspace: str, disrupted_day: list[dict[str, Any]]
) -> None:
    bus = InProcessBus()
    worker = StreamWorker(bus, AlertSink(session_factory), VADER)
    doubled = [p for payload in disrupted_day for p in (payload, payload)]
    _run(worker, bus, doubled)
    assert worker.stats.processed == len(disrupted_day)
    assert worker.stats.duplicates == len(disrupted_day)
    assert len(_alerts(session_factory)) == 1


def test_restart_from_checkpoint_loses_and_doubles_nothing(
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    workspace: str,
    disrupted_day: list[dict[str, Any]],
) -> None:
    cut = len(disrupted_day) * 9 // 10  # inside the disruption
    store = FileCheckpoint(tmp_path / "stream.ckpt")
    first = StreamWorker(InProcessBus(), AlertSink(session_factory), VADER, checkpoints=store)
    _run(first, first.bus, disrupted_day[:cut])  # type: ignore[arg-type]
    second = StreamWorker(InProcessBus(), AlertSink(session_factory), VADER, checkpoints=store)
    assert second.engine.processed == cut
    # the broker redelivers the last 200 unacknowledged messages after the crash
    _run(second, second.bus, disrupted_day[cut - 200 :])  # type: ignore[arg-type]
    assert second.engine.processed == len(disrupted_day)
    assert second.stats.duplicates == 200
    assert len(_alerts(session_factory)) == 1


class EagerSink(AlertSink):
    """Writes every update in the batch that produced it (what the sink did before deferring them)."""

    def write(self, outcomes: Sequence[Outcome]) -> list[tuple[Recorded, Outcome]]:
        return super().write(outcomes) + self.flush()


async def _in_fixed_batches(worker: StreamWorker, bus: InProcessBus, payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:  # everything queued first: the batches do not depend on timing
        await bus.publish(payload)
    while bus.pending():
        await worker.step(timeout=0.01)
    await worker.checkpoint()


def _row(alert: Alert) -> tuple[object, ...]:
    detail = {k: v for k, v in alert.detail.items() if k != "case_id"}
    return (alert.key, alert.title, alert.severity, alert.count, alert.started_at, alert.last_seen_at, detail)


def test_deferred_updates_end_in_the_same_alert_row(
    session_factory: sessionmaker[Session], workspace: str, disrupted_day: list[dict[str, Any]]
) -> None:
    with session_factory() as session:
        ensure_workspace(session, "eager")
        session.commit()
    eager_day = [{**p, "workspace_id": "eager"} for p in disrupted_day]
    rows = {}
    for name, sink_type, payloads in (
        ("deferred", AlertSink, disrupted_day),
        ("eager", EagerSink, eager_day),
    ):
        bus = InProcessBus(maxsize=len(payloads) + 1)
        sink = sink_type(session_factory)
        worker = StreamWorker(bus, sink, VADER, batch_size=50, checkpoint_every=1e9)
        asyncio.run(_in_fixed_batches(worker, bus, payloads))
        assert sink.deferred == 0  # the last checkpoint wrote what was collected
        assert worker.stats.alerts_updated > 0  # the incident had later signals to write
        rows[name] = [
            _row(a) for a in _alerts(session_factory) if a.workspace_id == payloads[0]["workspace_id"]
        ]
    assert len(rows["deferred"]) == 1
    assert rows["deferred"] == rows["eager"]


def test_pipelined_batches_give_what_one_batch_at_a_time_gives(
    session_factory: sessionmaker[Session], workspace: str, disrupted_day: list[dict[str, Any]]
) -> None:
    with session_factory() as session:
        ensure_workspace(session, "pipelined")
        session.commit()
    pool = PooledEnricher(workers=2, use_pipeline=False)  # enrichment really runs beside the detectors
    results = {}
    try:
        for depth, name in ((1, "acme"), (2, "pipelined")):
            payloads = [{**p, "workspace_id": name} for p in disrupted_day]
            payloads += payloads[:30]  # redelivered while the first copies may still be in flight
            bus = InProcessBus(maxsize=len(payloads) + 1)
            worker = StreamWorker(bus, AlertSink(session_factory), pool, batch_size=40, depth=depth)
            asyncio.run(_in_fixed_batches(worker, bus, payloads))
            rows = [_row(a) for a in _alerts(session_factory) if a.workspace_id == name]
            results[depth] = (worker.engine.processed, worker.stats.duplicates, rows)
    finally:
        pool.close()
    assert results[1][:2] == (len(disrupted_day), 30)
    assert results[2] == results[1]


def test_a_workspaces_edited_rules_apply_to_it(
    session_factory: sessionmaker[Session],
    workspace: str,
    disrupted_day: list[dict[str, Any]],
) -> None:
    from parallax.alerts.rule_settings import all_workspace_rules, save_rules

    with session_factory() as session:
        save_rules(session, workspace, {"spike": {"enabled": False}, "thresholds": []}, "analyst@acme.test")
        session.commit()

    def edited() -> dict[str, Any]:
        with session_factory() as session:
            return all_workspace_rules(session)

    bus = InProcessBus(maxsize=100)
    worker = StreamWorker(bus, AlertSink(session_factory), VADER, rules=edited)
    asyncio.run(worker.refresh_rules())
    _run(worker, bus, disrupted_day)
    assert worker.stats.processed == len(disrupted_day)
    assert _alerts(session_factory) == []  # the same day alerts with the default rules (test above)
