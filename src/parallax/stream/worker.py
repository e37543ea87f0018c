"""The streaming worker: fetch a batch, skip what was already counted, enrich, detect, record alerts,
checkpoint, and only then acknowledge. A crash before the checkpoint redelivers the batch (counted once,
from the old state); a crash after it redelivers messages the restored state has already seen (skipped).

A new alert's row is committed in the batch that raised it (that commit is what "arrival to alert" ends
on); later signals of the same incident only change its count, last-seen time, severity and detail, so they
are collected and written in one transaction at the next checkpoint, before the acknowledgement (a crash
loses them together with the state that produced them, and the redelivered messages produce them again).

Flight-status messages (``"kind": "flight_status"``, stream/flight_feed.py) share the bus: they skip
enrichment, feed the per-airport ops detector, and its alerts go to the same store and notifiers; its state
is checkpointed beside the complaint engine's, and a malformed message is logged, counted and acknowledged.

``run_stream_worker`` is what ``parallax serve`` (or ``parallax stream worker``) runs beside the API. Its
CPU and database work never runs on the event loop: enrichment has a thread of its own, and detection,
alert writes and checkpoint pickles run on another, in order. The loop only fetches, hands over and
acknowledges, so the API it shares keeps answering (health checks, ingest, SIGTERM) however heavy a batch
is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts import service
from parallax.alerts.engine import Outcome, SpikeEngine
from parallax.alerts.events import SignalEvent
from parallax.alerts.flight_causes import with_flight_status
from parallax.alerts.notify import Notifier
from parallax.alerts.ops_alerts import OpsAlert
from parallax.alerts.ops_service import is_ops, ops_notification, record_ops
from parallax.alerts.rule_settings import all_workspace_rules
from parallax.alerts.rules import Rule
from parallax.kit.db import session_scope
from parallax.store.models import Alert
from parallax.stream.bus import Bus, Delivery
from parallax.stream.checkpoint import CheckpointStore, MemoryCheckpoint
from parallax.stream.enrichment import Enricher, PooledEnricher, StreamEnricher
from parallax.stream.flight_feed import FlightFeed, is_flight_status
from parallax.stream.workspace_settings import edited_taxonomies

if TYPE_CHECKING:
    from parallax.enrich.categories.workspace import TaxonomyChoice

log = logging.getLogger(__name__)
AlertHook = Callable[[service.Recorded, Outcome], None]
RulesSource = Callable[[], dict[str, tuple[Rule, ...]]]  # workspace -> its edited alert rules
TaxonomySource = Callable[[], dict[str, "TaxonomyChoice"]]  # workspace -> its complaint taxonomy
P = ParamSpec("P")
R = TypeVar("R")
ENRICH_CHUNK = 16  # texts enriched between two looks at whether the worker is stopping


class Stopped(Exception):
    """The worker stopped while this batch was being enriched: it is left unacknowledged."""


@dataclass
class WorkerStats:
    delivered: int = 0
    processed: int = 0
    duplicates: int = 0
    alerts_new: int = 0
    alerts_updated: int = 0
    flight_statuses: int = 0  # flight-status messages counted by the ops detector
    ops_alerts_new: int = 0
    rejected: int = 0  # malformed messages, reported and skipped
    checkpoints: int = 0
    batches: int = 0
    batch_arrival: float = 0.0  # the earliest arrival (monotonic) in the batch being processed
    latencies: list[float] = field(default_factory=list)  # arrival -> processed, seconds, per interaction
    cpu: dict[str, float] = field(default_factory=dict)  # this process's CPU seconds, per stage

    def charge(self, stage: str, since: float) -> float:
        """Add the CPU used since ``since`` (a ``process_time``) to ``stage``; returns the time now."""
        now = time.process_time()
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now - since
        return now


class AlertSink:
    """Writes outcomes to the store (one write per incident per batch) and sends notifications."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        notifiers: Sequence[Notifier] = (),
        link_base: str | None = None,
        escalate_at: str = "critical",
    ) -> None:
        self.session_factory = session_factory
        self.notifiers = list(notifiers)
        self.link_base = link_base
        self.escalate_at = escalate_at
        self._tasks: set[asyncio.Task[None]] = set()
        self._deferred: list[Outcome] = []
        self._loop: asyncio.AbstractEventLoop | None = None  # where notifications are sent from

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send notifications on ``loop``: the worker writes alerts from its thread, the loop sends them."""
        self._loop = loop

    def write(self, outcomes: Sequence[Outcome]) -> list[tuple[service.Recorded, Outcome]]:
        """Commit the alerts of new incidents now; keep updates of recorded ones for ``flush``."""
        last: dict[int, Outcome] = {}
        for outcome in outcomes:  # the informative outcome (with context) wins over a bare join
            ref = outcome.decision.incident.ref
            if ref not in last or outcome.context.events or not last[ref].context.events:
                last[ref] = outcome
        fresh = [o for o in last.values() if o.decision.incident.alert_id is None]
        self._deferred.extend(o for o in last.values() if o.decision.incident.alert_id is not None)
        return self._record(fresh) if fresh else []

    def flush(self) -> list[tuple[service.Recorded, Outcome]]:
        """Write the collected updates in one transaction (the worker calls it before acknowledging)."""
        deferred, self._deferred = self._deferred, []
        return self._record(deferred) if deferred else []

    @property
    def deferred(self) -> int:
        return len(self._deferred)

    def _record(self, outcomes: Sequence[Outcome]) -> list[tuple[service.Recorded, Outcome]]:
        written = []
        with session_scope(self.session_factory) as session:
            for outcome in outcomes:
                recorded = service.record(session, outcome)
                if recorded.is_new and _at_least(recorded.severity, self.escalate_at):
                    service.escalate(
                        session, outcome.decision.incident.workspace_id, recorded.alert_id, "stream"
                    )
                written.append((recorded, outcome))
        for recorded, outcome in written:
            if recorded.notify and self.notifiers:
                self._notify(outcome.decision.incident.workspace_id, recorded.alert_id)
        return written

    def write_ops(self, alerts: Sequence[OpsAlert]) -> list[service.Recorded]:
        """Record ops alerts (the last signal of each incident in the batch) and notify the new ones. The
        feed is a few messages a minute, so its updates are written at once rather than deferred."""
        last = {ops.incident: ops for ops in alerts}
        with session_scope(self.session_factory) as session:
            written = [record_ops(session, ops) for ops in last.values()]
        for ops, recorded in zip(last.values(), written, strict=True):
            if recorded.notify and self.notifiers:
                self._notify(ops.signal.workspace_id, recorded.alert_id)
        return written

    def _notify(self, workspace_id: str, alert_id: int) -> None:
        with session_scope(self.session_factory) as session:
            alert = session.get(Alert, alert_id)
            assert alert is not None
            compose = ops_notification if is_ops(alert) else service.notification_for
            note = compose(alert, self.link_base)
        loop = self._loop or asyncio.get_running_loop()
        for notifier in self.notifiers:
            if _on_loop_thread(loop):
                self._start_send(notifier, note)
            else:
                loop.call_soon_threadsafe(self._start_send, notifier, note)

    def _start_send(self, notifier: Notifier, note: service.Notification) -> None:
        task = asyncio.get_running_loop().create_task(self._send(notifier, note))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _send(notifier: Notifier, note: service.Notification) -> None:
        try:
            await notifier.send(note)
        except Exception as exc:  # a dead receiver must not stop detection; it is logged, not raised
            log.error("notification by %s failed after retries: %s", notifier.name, type(exc).__name__)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:  # no loop runs in this thread: it is the worker's
        return False


def _at_least(level: str, floor: str) -> bool:
    order = ("low", "medium", "high", "critical")
    return order.index(level) >= order.index(floor)


class StreamWorker:
    """One consumer of the bus. State (the engine) is restored from ``checkpoints`` when it starts."""

    def __init__(
        self,
        bus: Bus,
        sink: AlertSink | None,
        enricher: Enricher | None = None,
        checkpoints: CheckpointStore | None = None,
        engine_factory: Callable[[], SpikeEngine] = SpikeEngine,
        batch_size: int = 500,
        checkpoint_every: float = 5.0,
        on_alert: AlertHook | None = None,
        depth: int = 2,
        rules: RulesSource | None = None,
        taxonomies: TaxonomySource | None = None,
    ) -> None:
        self.bus, self.sink = bus, sink
        self.enricher = enricher or StreamEnricher()
        self.checkpoints = checkpoints or MemoryCheckpoint()
        blob = self.checkpoints.load()
        self.engine, self.flights = _restore(blob) if blob else (engine_factory(), FlightFeed())
        self.batch_size, self.checkpoint_every = batch_size, checkpoint_every
        self.on_alert = on_alert
        # Each workspace's edited alert rules and complaint taxonomy, re-read at every checkpoint so a change
        # applies within seconds.
        self.rules = rules
        self.taxonomies = taxonomies
        self.stats = WorkerStats()
        self._unacked: list[Callable[[], Awaitable[None]]] = []
        self._last_checkpoint = time.monotonic()
        self._skipped = 0
        # Batches fetched and being enriched, oldest first: with ``depth`` 2 the pool enriches one batch
        # while this process runs the detectors on the previous one (1: one batch at a time).
        self.depth = depth
        self._inflight: deque[tuple[list[Delivery], asyncio.Future[list[SignalEvent]]]] = deque()
        # One thread detects, writes alerts and checkpoints, in order (the engine is never shared between
        # threads); another enriches (one batch at a time), so a stop's checkpoint never waits behind a
        # batch of long texts, and enrichment of the next batch overlaps detection of this one.
        self._cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-detect")
        self._enriching = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-enrich")
        self._stopping = threading.Event()

    async def _off_loop(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``work`` on the detection thread, so the event loop (and the API on it) keeps answering."""
        return await self._run_in(self._cpu, lambda: work(*args, **kwargs))

    async def _run_in(self, pool: ThreadPoolExecutor, work: Callable[[], R]) -> R:
        loop = asyncio.get_running_loop()
        if self.sink is not None:
            self.sink.attach(loop)
        return await loop.run_in_executor(pool, work)

    def close(self) -> None:
        """Stop the worker's threads (after ``run``; a worker driven by ``step`` calls it when done). It does
        not wait on the event loop: a chunk still being enriched ends by itself (at most ``ENRICH_CHUNK``
        texts) and its result is dropped."""
        self._stopping.set()
        self._enriching.shutdown(wait=False, cancel_futures=True)
        self._cpu.shutdown(wait=False, cancel_futures=True)

    async def step(self, timeout: float = 0.2) -> int:
        """Fetch a batch and start enriching it; detect on the oldest batch in flight when ``depth`` are,
        or when nothing new came. Returns how many messages were fetched."""
        cpu = time.process_time()
        waiting = bool(self._inflight)  # an enriched batch waits: do not sit on an empty bus for it
        deliveries = await self.bus.fetch(self.batch_size, min(timeout, 0.005) if waiting else timeout)
        cpu = self.stats.charge("fetch", cpu)
        if deliveries:
            self._inflight.append((deliveries, self._enrich(deliveries)))
            self.stats.charge("enrich", cpu)
        while self._inflight and (not deliveries or len(self._inflight) >= self.depth):
            await self._finish(*self._inflight.popleft())
        if self._unacked and time.monotonic() - self._last_checkpoint >= self.checkpoint_every:
            await self.checkpoint()
        return len(deliveries)

    def _enrich(self, deliveries: list[Delivery]) -> asyncio.Future[list[SignalEvent]]:
        """Start enriching what the engine has not counted yet (in the pool, when there is one)."""
        fresh = [d.payload for d in deliveries if not self.engine.seen(d.msg_id)]
        self._skipped += len(deliveries) - len(fresh)
        # The flight feed is not enriched, and it keeps its own dedupe.
        fresh = [p for p in fresh if not is_flight_status(p)]
        pooled = getattr(self.enricher, "enrich_async", None)
        if pooled is not None:
            return asyncio.ensure_future(pooled(fresh))
        return asyncio.ensure_future(self._run_in(self._enriching, lambda: self._enrich_here(fresh)))

    def _enrich_here(self, payloads: list[dict[str, Any]]) -> list[SignalEvent]:
        """Enrich in chunks, giving up between two when the worker is stopping (raises ``Stopped``)."""
        cpu = time.process_time()
        events: list[SignalEvent] = []
        for start in range(0, len(payloads), ENRICH_CHUNK):
            if self._stopping.is_set():
                raise Stopped
            events.extend(self.enricher.enrich(payloads[start : start + ENRICH_CHUNK]))
        self.stats.charge("enrich", cpu)
        return events

    async def _finish(self, deliveries: list[Delivery], enriching: asyncio.Future[list[SignalEvent]]) -> None:
        """Detect on an enriched batch, commit its new alerts, and hold its acks for the next checkpoint."""
        stats = self.stats
        events = await enriching
        stats.batch_arrival = min((e.arrived for e in events if e.arrived), default=0.0)
        self._report(await self._off_loop(self._detect, deliveries, events))
        done = time.monotonic()
        stats.latencies.extend(done - e.arrived for e in events if e.arrived)
        stats.duplicates = self._skipped + self.engine.duplicates + self.flights.duplicates
        stats.delivered += len(deliveries)
        stats.processed = self.engine.processed
        stats.batches += 1
        self._unacked.extend(d.ack for d in deliveries)

    def _detect(
        self, deliveries: list[Delivery], events: list[SignalEvent]
    ) -> list[tuple[service.Recorded, Outcome]]:
        """The detectors on an enriched batch and the alerts they raise (on the worker's thread)."""
        cpu = time.process_time()
        outcomes = self.engine.process_batch(events)  # duplicates within the pipeline are dropped here
        # The batch's flight statuses first, so a spike about a flight they report disrupted says so.
        self._feed_flights([d.payload for d in deliveries if is_flight_status(d.payload)])
        recent = self.flights.engine.recent
        outcomes = [with_flight_status(o, recent) for o in outcomes]
        cpu = self.stats.charge("detect", cpu)
        if not outcomes or self.sink is None:
            return []
        written = self.sink.write(outcomes)
        self.stats.charge("alerts", cpu)
        return written

    def _feed_flights(self, payloads: list[dict[str, Any]]) -> None:
        if not payloads:
            return
        alerts, rejected = self.flights.process(payloads)
        for bad in rejected:
            log.warning("flight-status message %s skipped: %s", bad.message_id, bad.reason)
        self.stats.rejected += len(rejected)
        self.stats.flight_statuses = self.flights.processed
        if alerts and self.sink is not None:
            self.stats.ops_alerts_new += sum(r.is_new for r in self.sink.write_ops(alerts))

    def _report(self, written: list[tuple[service.Recorded, Outcome]]) -> None:
        for recorded, outcome in written:
            self.stats.alerts_new += recorded.is_new
            self.stats.alerts_updated += not recorded.is_new
            if self.on_alert is not None:
                self.on_alert(recorded, outcome)

    async def checkpoint(self, drop_inflight: bool = False) -> None:
        """Write deferred alert updates, save the engine, then acknowledge everything it covers.

        The engine is pickled here (a consistent snapshot); writing and fsyncing the file happens in a
        thread, so the event loop (an in-process publisher, the API) is not held up by the disk. With
        ``drop_inflight`` (stopping) batches still being enriched are left unacknowledged instead of
        awaited: the broker delivers them again, and the store keeps them for the batch enrichment.
        """
        while self._inflight:  # a checkpoint covers every batch fetched so far
            deliveries, enriching = self._inflight.popleft()
            if drop_inflight:
                enriching.cancel()
                continue
            await self._finish(deliveries, enriching)
        cpu = time.process_time()
        if self.sink is not None:
            self._report(await self._off_loop(self.sink.flush))
        await self.refresh_rules()
        await self._off_loop(self._save_checkpoint)
        self.stats.checkpoints += 1
        cpu = self.stats.charge("checkpoint", cpu)
        acks, self._unacked = self._unacked, []
        for ack in acks:
            await ack()
        self.stats.charge("ack", cpu)
        self._last_checkpoint = time.monotonic()

    def _save_checkpoint(self) -> None:
        blob = pickle.dumps({"spike": self.engine.checkpoint(), "flights": self.flights.checkpoint()})
        self.checkpoints.save(blob)

    async def refresh_rules(self) -> None:
        """Hand each workspace its edited alert rules, and the enricher each workspace's taxonomy (read in a
        thread: they are database queries). Batches already being enriched keep the taxonomy they had."""
        if self.rules is not None:
            for workspace_id, rules in (await asyncio.to_thread(self.rules)).items():
                self.engine.set_rules(workspace_id, rules)
        setter = getattr(self.enricher, "set_taxonomies", None)
        if self.taxonomies is not None and setter is not None:
            setter(await asyncio.to_thread(self.taxonomies))

    async def run(self, stop: asyncio.Event) -> WorkerStats:
        """Process until ``stop`` is set. A stop that comes while a batch is being enriched or detected does
        not wait for it (a batch of long texts can take minutes): that batch is left unacknowledged, the
        state as of the last finished batch is checkpointed, and the worker returns within seconds."""
        stopped = False
        try:
            await self.refresh_rules()
            stopping = asyncio.ensure_future(stop.wait())
            while not stop.is_set():
                stepping = asyncio.ensure_future(self.step())
                await asyncio.wait({stepping, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not stepping.done():
                    stopped = True
                    self._stopping.set()  # the enrichment thread gives up between chunks
                    stepping.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Stopped):
                        await stepping
            await self.checkpoint(drop_inflight=stopped)
            if self.sink is not None:
                await self.sink.drain()
        finally:
            self.close()
        return self.stats


def _restore(blob: bytes) -> tuple[SpikeEngine, FlightFeed]:
    """The complaint engine and the flight feed from a checkpoint (one written before the feed holds the
    engine alone: the feed starts fresh)."""
    state = pickle.loads(blob)
    if isinstance(state, dict):
        return SpikeEngine.restore(state["spike"]), FlightFeed.restore(state["flights"])
    return SpikeEngine.restore(blob), FlightFeed()


async def run_stream_worker(
    session_factory: sessionmaker[Session],
    stop: asyncio.Event,
    bus: Bus | None = None,
    nats_url: str | None = None,
    checkpoints: CheckpointStore | None = None,
    notifiers: Sequence[Notifier] = (),
    tier: str = "fast",
    link_base: str | None = None,
    workers: int = 0,
) -> WorkerStats:
    """Run the worker until ``stop`` is set: on ``bus`` if given, else NATS at ``nats_url``, else in-process.
    ``workers`` > 0 enriches in that many processes, beside the detectors (0: in this process).

    Example (beside the API, in ``parallax serve``)::

        stop = asyncio.Event()
        bus = InProcessBus()            # share it with whatever publishes interactions
        task = asyncio.create_task(run_stream_worker(app.state.session_factory, stop, bus=bus))
        ...
        stop.set(); await task
    """
    owned = None
    if bus is None and nats_url:
        from parallax.stream.nats_bus import NatsBus

        owned = bus = await NatsBus(nats_url).connect()
    if bus is None:
        from parallax.stream.bus import InProcessBus

        bus = InProcessBus()
    sink = AlertSink(session_factory, notifiers, link_base)

    def edited_rules() -> dict[str, tuple[Rule, ...]]:
        with session_factory() as session:
            return all_workspace_rules(session)

    def taxonomies() -> dict[str, TaxonomyChoice]:
        with session_factory() as session:
            return edited_taxonomies(session)

    pool = PooledEnricher(workers, tier) if workers > 0 else None
    enricher = pool or StreamEnricher(tier)
    worker = StreamWorker(bus, sink, enricher, checkpoints, rules=edited_rules, taxonomies=taxonomies)
    try:
        return await worker.run(stop)
    finally:
        if pool is not None:
            pool.close()
        if owned is not None:
            await owned.close()
