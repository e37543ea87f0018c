"""The worker's CPU work runs off the event loop, so the API sharing that loop keeps answering.

Before, enrichment and detection ran on the loop itself: while a heavy batch was scored, nothing else was
answered, not even ``/v1/health``, and SIGTERM waited for it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from parallax.alerts.events import SignalEvent
from parallax.stream.bus import InProcessBus
from parallax.stream.enrichment import StreamEnricher
from parallax.stream.worker import StreamWorker

VADER = StreamEnricher(use_pipeline=False)


class GatedEnricher:
    """Enriches only when released, recording where it ran and whether it has returned."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.returned = False
        self.threads: list[threading.Thread] = []

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        self.threads.append(threading.current_thread())
        self.entered.set()
        self.release.wait(timeout=30)  # never hangs the test: on the loop it would just block it 30 s
        self.returned = True
        return VADER.enrich(payloads)


def _payload(n: int) -> dict[str, Any]:
    return {
        "workspace_id": "acme",
        "source": "app",
        "external_id": str(n),
        "channel": "twitter",
        "kind": "post",
        "occurred_at": datetime(2026, 1, 1, 10, n),
        "text": "flight cancelled again, nobody answers",
    }


async def _scenario(enricher: GatedEnricher, stop_while_enriching: bool = False) -> tuple[bool, int]:
    bus = InProcessBus()
    worker = StreamWorker(bus, None, enricher, checkpoint_every=1e9)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await bus.publish(_payload(1))
    for _ in range(3000):  # up to 30 s for the worker to pick the batch up
        if enricher.entered.is_set():
            break
        await asyncio.sleep(0.01)
    # The loop runs this line while the enricher is still held: the loop was not blocked by it.
    loop_answered_while_enriching = not enricher.returned
    if stop_while_enriching:
        stop.set()
        stats = await running  # returns without waiting for the held batch
        enricher.release.set()
        return loop_answered_while_enriching, stats.processed
    enricher.release.set()
    for _ in range(3000):
        if worker.stats.processed:
            break
        await asyncio.sleep(0.01)
    stop.set()
    stats = await running
    return loop_answered_while_enriching, stats.processed


def test_enrichment_runs_off_the_loop_and_the_loop_keeps_answering() -> None:
    enricher = GatedEnricher()
    answered, processed = asyncio.run(_scenario(enricher))
    assert answered
    assert processed == 1
    assert enricher.threads and enricher.threads[0] is not threading.main_thread()


def test_a_stop_does_not_wait_for_the_batch_being_enriched() -> None:
    # The held batch is left unacknowledged (the broker delivers it again; the store keeps it).
    enricher = GatedEnricher()
    answered, processed = asyncio.run(_scenario(enricher, stop_while_enriching=True))
    assert answered and processed == 0
