"""``parallax bench stream``: arrival-to-decision and arrival-to-alert latency at a sustained rate.

A paced publisher sends ``rate`` interactions a second for ``seconds`` (simulated time runs ``compression``
times faster, so the detectors see hours of traffic and a planted disruption in minutes); each payload is
stamped with its monotonic arrival time. The worker records, per interaction, the time from arrival to the
moment its batch's rules were evaluated (a decision: alert or not), and for each new alert the time from
the arrival of the interaction that triggered it to the alert row being written. Nothing may be lost:
processed + duplicates must equal published.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from parallax.alerts.engine import Outcome
from parallax.alerts.service import Recorded
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.store.migrate import upgrade
from parallax.store.workspaces import ensure_workspace
from parallax.stream.bus import Bus, InProcessBus
from parallax.stream.enrichment import PooledEnricher
from parallax.stream.synthetic import Plan, background_payload, spike_payload
from parallax.stream.worker import AlertSink, StreamWorker

SIM_START = datetime(2026, 3, 2, 6, 0)


@dataclass(frozen=True)
class BenchResult:
    bus: str
    seconds: float
    rate_target: int
    published: int
    processed: int
    duplicates: int
    achieved_rate: float
    p50: float
    p95: float
    p99: float
    alerts: int
    alert_latencies: tuple[float, ...]

    @property
    def lost(self) -> int:
        return self.published - self.processed - self.duplicates


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]
        if len(values) > 1
        else values[0]
    )


async def _publish(bus: Bus, seconds: float, rate: int, compression: float, seed: int) -> int:
    """Paced publishing: every 10 ms, as many as keep the cumulative count on ``rate`` per second."""
    rng, plan, sent = random.Random(seed), Plan(start=SIM_START, duration=timedelta(0)), 0
    start = time.monotonic()
    spike = (0.65 * seconds, 0.8 * seconds)
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * rate) - sent
        at = SIM_START + timedelta(seconds=elapsed * compression)
        batch = []
        for _ in range(due):
            sent += 1
            in_spike = spike[0] <= elapsed < spike[1] and rng.random() < 0.3
            payload = (spike_payload if in_spike else background_payload)(rng, plan, sent, at)
            payload["_arrived"] = time.monotonic()
            batch.append(payload)
        await bus.publish_many(batch)
        await asyncio.sleep(0.01)
    return sent


async def run_bench(
    kind: str, seconds: float, rate: int, nats_url: str, workers: int, compression: float, seed: int = 7
) -> BenchResult:
    folder = Path(tempfile.mkdtemp(prefix="parallax-bench-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite'}")
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        ensure_workspace(session, "acme", "Acme Air")
        session.commit()
    alert_latencies: list[float] = []

    def on_alert(recorded: Recorded, outcome: Outcome) -> None:
        if recorded.is_new and outcome.trigger.arrived:
            alert_latencies.append(time.monotonic() - outcome.trigger.arrived)

    publisher_bus, consumer_bus, cleanup = await _buses(kind, nats_url, rate)
    enricher = PooledEnricher(workers)
    worker = StreamWorker(consumer_bus, AlertSink(factory), enricher, batch_size=1000, on_alert=on_alert)
    try:
        await enricher.enrich_async(
            [background_payload(random.Random(0), Plan(SIM_START, timedelta(0)), 0, SIM_START)]
        )
        if kind == "inprocess":
            publishing = asyncio.create_task(_publish(publisher_bus, seconds, rate, compression, seed))
        else:  # a separate publisher process (own loop and connection), as ingest would be
            publishing = asyncio.create_task(
                asyncio.to_thread(_publish_in_process, publisher_bus, seconds, rate, compression, seed)
            )
        while not publishing.done() or worker.stats.delivered < publishing_count(publishing):
            await worker.step(timeout=0.05)
            if publishing.done() and worker.stats.delivered >= publishing.result():
                break
        await worker.checkpoint()
        published = publishing.result()
    finally:
        enricher.close()
        await cleanup()
        engine.dispose()
    lat = worker.stats.latencies
    return BenchResult(
        bus=kind,
        seconds=seconds,
        rate_target=rate,
        published=published,
        processed=worker.engine.processed,
        duplicates=worker.stats.duplicates,
        achieved_rate=published / seconds,
        p50=_quantile(lat, 0.50),
        p95=_quantile(lat, 0.95),
        p99=_quantile(lat, 0.99),
        alerts=worker.stats.alerts_new,
        alert_latencies=tuple(alert_latencies),
    )


def publishing_count(task: asyncio.Task[int]) -> int:
    return task.result() if task.done() else 1 << 62


def _publish_in_process(bus: Any, seconds: float, rate: int, compression: float, seed: int) -> int:
    """Run the publisher in a child process (waited for from a thread, so the worker's loop keeps going)."""
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        args = (bus.url, bus.stream, bus.subject, seconds, rate, compression, seed)
        return pool.submit(_publisher_main, *args).result()


def _publisher_main(
    url: str, stream: str, subject: str, seconds: float, rate: int, compression: float, seed: int
) -> int:
    from parallax.stream.nats_bus import NatsBus

    async def main() -> int:
        own = await NatsBus(url, stream=stream, subject=subject).connect(consume=False)
        try:
            return await _publish(own, seconds, rate, compression, seed)
        finally:
            await own.close()

    return asyncio.run(main())


async def _buses(kind: str, nats_url: str, rate: int) -> tuple[Any, Any, Any]:
    if kind == "inprocess":
        bus = InProcessBus(maxsize=max(rate, 1000))

        async def nothing() -> None:
            return None

        return bus, bus, nothing
    from parallax.stream.nats_bus import NatsBus

    stream = f"PXBENCH_{uuid.uuid4().hex[:8].upper()}"
    subject = f"{stream.lower()}.in"
    publisher = await NatsBus(nats_url, stream=stream, subject=subject).connect(consume=False)
    consumer = await NatsBus(nats_url, stream=stream, subject=subject, durable="bench").connect()

    async def cleanup() -> None:
        await consumer.close()
        await publisher.delete_stream()
        await publisher.close()

    return publisher, consumer, cleanup
