"""The live loop inside ``parallax serve``: ingested interactions flow onto a bus and a stream worker
enriches them, updates the spike detectors and raises alerts while the API keeps answering.

In-process by default (zero set-up); with a NATS URL the bus is JetStream, so several workers can share it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI

from parallax.stream.bus import Bus, InProcessBus
from parallax.stream.worker import run_stream_worker

log = logging.getLogger(__name__)


def live_lifespan(nats_url: str | None, tier: str, enrich_workers: int = 0) -> Any:
    """A FastAPI lifespan that owns the bus and the worker task for the app's lifetime.

    With ``enrich_workers`` > 0 the models run in that many processes of their own: their CPU work (and
    native code that holds the GIL, such as a tokenizer) then never delays a request; 0 runs them on the
    worker's thread in this process (tests, a laptop short of memory)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bus: Bus
        if nats_url:
            from parallax.stream.nats_bus import NatsBus

            bus = await NatsBus(nats_url).connect()
        else:
            bus = InProcessBus()
        app.state.bus = bus
        stop = asyncio.Event()
        worker = asyncio.create_task(
            run_stream_worker(app.state.session_factory, stop, bus=bus, tier=tier, workers=enrich_workers)
        )
        try:
            yield
        finally:
            stop.set()
            await worker
            app.state.bus = None
            await bus.close()

    return lifespan


# How long an ingest request waits for room on the live bus before it answers without it.
LIVE_PUBLISH_WAIT_S = 5.0
_CHUNK = 100


async def publish_within(bus: Bus, payloads: list[dict[str, Any]], seconds: float) -> int:
    """Publish ``payloads`` in order, waiting at most ``seconds`` in all for room on the bus; returns how many
    were left out (0 when all went). The rows are already stored: what is left out misses only the live
    detectors (``parallax enrich`` still scores it), so a workspace whose backlog is full answers in
    seconds instead of holding its request (and a server thread) until the backlog drains."""
    sent, size = 0, min(_CHUNK, getattr(bus, "per_workspace", _CHUNK))  # a chunk goes in whole or not at all
    with anyio.move_on_after(seconds):
        for start in range(0, len(payloads), size):
            chunk = payloads[start : start + size]
            await bus.publish_many(chunk)
            sent += len(chunk)
    if sent < len(payloads):
        log.warning("live bus full: %d ingested rows left to the batch enrichment", len(payloads) - sent)
    return len(payloads) - sent


def stream_payloads(workspace_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the worker consumes: the validated interaction plus its workspace."""
    return [{**row, "workspace_id": workspace_id} for row in rows]
