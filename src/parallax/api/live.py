"""The live loop inside ``parallax serve``: ingested interactions flow onto a bus and a stream worker
enriches them, updates the spike detectors and raises alerts while the API keeps answering.

In-process by default (zero set-up); with a NATS URL the bus is JetStream, so several workers can share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from parallax.stream.bus import Bus, InProcessBus
from parallax.stream.worker import run_stream_worker


def live_lifespan(nats_url: str | None, tier: str) -> Any:
    """A FastAPI lifespan that owns the bus and the worker task for the app's lifetime."""

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
        worker = asyncio.create_task(run_stream_worker(app.state.session_factory, stop, bus=bus, tier=tier))
        try:
            yield
        finally:
            stop.set()
            await worker
            app.state.bus = None
            await bus.close()

    return lifespan


def stream_payloads(workspace_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the worker consumes: the validated interaction plus its workspace."""
    return [{**row, "workspace_id": workspace_id} for row in rows]
