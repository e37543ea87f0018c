"""``parallax bench stream``: latency at a sustained rate, nothing lost, and CPU per message.

A paced publisher sends ``rate`` interactions a second for ``seconds`` (simulated time runs ``compression``
times faster, so the detectors see hours of traffic and a planted disruption in minutes); each payload is
stamped with its monotonic arrival time when it is handed to the bus, as the API does after its commit.
Two latencies are measured (``docs/realtime.md``):

- per message, arrival -> processed: its batch was counted and scored by the detectors, and any new alert
  it raised was committed (p50/p95/p99 over every message);
- per alert, arrival -> alert row committed, from the arrival of the message whose batch raised it.

Nothing may be lost: processed + duplicates must equal published. CPU is counted per message: the worker's
process, its enrichment processes, the publisher's process (NATS) and the NATS server.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

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
    publish_seconds: float  # from the first publish to the last
    processed: int
    duplicates: int
    drain_seconds: float  # after the last publish, until everything was processed
    latency: tuple[float, float, float]  # arrival -> processed, p50 / p95 / p99 seconds
    alert_latencies: tuple[float, ...]  # arrival -> alert row committed, seconds, per new alert
    cpu: dict[str, float]  # CPU seconds: worker, enrichment, publisher, server, and the worker's stages
    load: tuple[float, float]  # 1-minute load average before and after
    checkpoint_bytes: int
    batches: int

    @property
    def lost(self) -> int:
        return self.published - self.processed - self.duplicates

    @property
    def achieved_rate(self) -> float:
        return self.published / self.publish_seconds if self.publish_seconds > 0 else 0.0

    @property
    def alert_p95(self) -> float:
        return _quantiles(list(self.alert_latencies), (0.95,))[0]

    def cpu_us(self, part: str) -> float:
        """CPU microseconds per published message for one part (``total``: every process)."""
        parts = ("worker", "enrichment", "publisher", "server")
        used = sum(self.cpu.get(p, 0.0) for p in parts) if part == "total" else self.cpu.get(part, 0.0)
        return 1e6 * used / max(self.published, 1)


@dataclass
class _Published:
    sent: int = 0
    first: float = 0.0
    last: float = 0.0
    cpu: float = 0.0  # the publisher's own work, CPU seconds (its whole process when it has one)
    separate: bool = False  # ran in its own process


def _quantiles(values: list[float], qs: tuple[float, ...]) -> tuple[float, ...]:
    if not values:
        return tuple(float("nan") for _ in qs)
    return tuple(float(q) for q in np.quantile(np.asarray(values), qs))


async def _publish(
    bus: Bus, seconds: float, rate: int, compression: float, seed: int, bus_is_separate: bool = False
) -> _Published:
    """Paced publishing: every 10 ms, as many as keep the cumulative count on ``rate`` per second (a late
    tick catches up, so the rate holds unless the bus pushes back). Shorter ticks cost more CPU per message
    (a wake-up and a socket write each) than they take off the latency."""
    rng, plan, out = random.Random(seed), Plan(start=SIM_START, duration=timedelta(0)), _Published()
    start = out.first = time.monotonic()
    spike = (0.65 * seconds, 0.8 * seconds)
    cpu_start = time.process_time()
    while (elapsed := time.monotonic() - start) < seconds:
        cpu = time.thread_time()
        at = SIM_START + timedelta(seconds=elapsed * compression)
        batch = []
        for _ in range(int(elapsed * rate) - out.sent):
            out.sent += 1
            in_spike = spike[0] <= elapsed < spike[1] and rng.random() < 0.3
            payload = (spike_payload if in_spike else background_payload)(rng, plan, out.sent, at)
            payload["_arrived"] = time.monotonic()
            batch.append(payload)
        out.cpu += time.thread_time() - cpu  # generating only (this thread: the worker has its own)
        if batch:
            await bus.publish_many(batch)
            out.last = time.monotonic()
        await asyncio.sleep(0.01)
    if bus_is_separate:
        out.cpu, out.separate = time.process_time() - cpu_start, True  # its own process: all of it
    return out


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
        # from the earliest arrival in the batch that raised it: an upper bound for the message that did
        if recorded.is_new and worker.stats.batch_arrival:
            alert_latencies.append(time.monotonic() - worker.stats.batch_arrival)

    publisher_bus, consumer_bus, cleanup = await _buses(kind, nats_url, rate)
    enricher = PooledEnricher(workers)
    worker = StreamWorker(consumer_bus, AlertSink(factory), enricher, batch_size=1000, on_alert=on_alert)
    warm = [background_payload(random.Random(0), Plan(SIM_START, timedelta(0)), 0, SIM_START)] * 4 * workers
    await enricher.enrich_async(warm)  # the processes load their models before the clock starts
    load_before, server_before = os.getloadavg()[0], _process_cpu("nats-server")
    children_before, cpu_before = _children_cpu(), time.process_time()
    try:
        published, drained = await _drive(kind, worker, publisher_bus, seconds, rate, compression, seed)
        await worker.checkpoint()
        cpu = _cpu_used(cpu_before, children_before, server_before, published, worker)
    finally:
        enricher.close()
        await cleanup()
        engine.dispose()
    return BenchResult(
        bus=kind,
        seconds=seconds,
        rate_target=rate,
        published=published.sent,
        publish_seconds=published.last - published.first,
        processed=worker.engine.processed,
        duplicates=worker.stats.duplicates,
        drain_seconds=drained,
        latency=_quantiles(worker.stats.latencies, (0.5, 0.95, 0.99)),  # type: ignore[arg-type]
        alert_latencies=tuple(alert_latencies),
        cpu=cpu,
        load=(load_before, os.getloadavg()[0]),
        checkpoint_bytes=len(worker.engine.checkpoint()),
        batches=worker.stats.batches,
    )


async def _drive(
    kind: str, worker: StreamWorker, bus: Any, seconds: float, rate: int, compression: float, seed: int
) -> tuple[_Published, float]:
    """Publish (in this loop, or from a child process for NATS) while the worker consumes; then drain."""
    if kind == "inprocess":
        publishing = asyncio.create_task(_publish(bus, seconds, rate, compression, seed))
    else:  # a separate publisher process (own loop and connection), as ingest would be
        publishing = asyncio.create_task(
            asyncio.to_thread(_publish_in_process, bus, seconds, rate, compression, seed)
        )
    while not publishing.done():
        await worker.step(timeout=0.05)
    published, finished = publishing.result(), time.monotonic()
    last_delivery = finished
    while worker.stats.delivered < published.sent:
        # one empty fetch proves nothing (a slow server reply, a full pipeline): give up only after a
        # minute without any delivery, and count what is missing then as lost
        if await worker.step(timeout=1.0):
            last_delivery = time.monotonic()
        elif time.monotonic() - last_delivery > 60:
            break
    return published, time.monotonic() - finished


def _cpu_used(
    cpu_before: float,
    children_before: float,
    server_before: float | None,
    published: _Published,
    worker: StreamWorker,
) -> dict[str, float]:
    """CPU seconds of each part while the bench ran (model loading and start-up are not counted)."""
    main_cpu = time.process_time() - cpu_before
    cpu = {
        # in-process, the publisher shares the worker's loop: its work is taken out of the worker's
        "worker": main_cpu - (0.0 if published.separate else published.cpu),
        "enrichment": _children_cpu() - children_before,  # the pool (the publisher's process has ended)
        "publisher": published.cpu,
    }
    server_after = _process_cpu("nats-server")
    if server_before is not None and server_after is not None:
        cpu["server"] = server_after - server_before
    cpu.update({f"stage:{k}": v for k, v in worker.stats.cpu.items()})
    return cpu


def _stats() -> list[list[str]]:
    """Every process as [name, state, parent pid, ...] from /proc/<pid>/stat (Linux; empty elsewhere)."""
    rows = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        rows.append([name, *rest])
    return rows


def _children_cpu() -> float:
    """CPU seconds used so far by this process's live children (user + system ticks)."""
    me, tick = str(os.getpid()), os.sysconf("SC_CLK_TCK")
    return sum(int(r[12]) + int(r[13]) for r in _stats() if r[2] == me) / tick


def _process_cpu(name: str) -> float | None:
    """CPU seconds used so far by the local processes called ``name`` (the NATS server), or None."""
    tick = os.sysconf("SC_CLK_TCK")
    found = [int(r[12]) + int(r[13]) for r in _stats() if r[0] == name]
    return sum(found) / tick if found else None


def _publish_in_process(bus: Any, seconds: float, rate: int, compression: float, seed: int) -> _Published:
    """Run the publisher in a child process (waited for from a thread, so the worker's loop keeps going)."""
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        args = (bus.url, bus.stream, bus.subject, seconds, rate, compression, seed)
        result: _Published = pool.submit(_publisher_main, *args).result()
    return result


def _publisher_main(
    url: str, stream: str, subject: str, seconds: float, rate: int, compression: float, seed: int
) -> _Published:
    from parallax.stream.nats_bus import NatsBus

    async def main() -> _Published:
        own = await NatsBus(url, stream=stream, subject=subject).connect(consume=False)
        try:
            return await _publish(own, seconds, rate, compression, seed, bus_is_separate=True)
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
