"""Through a real NATS JetStream server: durable consumer, crash without acknowledging, resume, no loss."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parallax.store.models import Alert
from parallax.stream.checkpoint import FileCheckpoint
from parallax.stream.enrichment import StreamEnricher
from parallax.stream.nats_bus import NatsBus
from parallax.stream.worker import AlertSink, StreamWorker

pytestmark = pytest.mark.nats
VADER = StreamEnricher(use_pipeline=False)


async def _scenario(
    url: str, stream: str, payloads: list[dict[str, Any]], factory: sessionmaker[Session], ckpt: Path
) -> tuple[int, int, int]:
    publisher = await NatsBus(url, stream=stream, subject=f"{stream.lower()}.in").connect(consume=False)
    for payload in payloads:
        await publisher.publish(payload)
    await publisher.publish(payloads[0])  # a re-sent duplicate: JetStream drops it (Nats-Msg-Id)

    def bus() -> NatsBus:
        return NatsBus(url, stream=stream, subject=f"{stream.lower()}.in", durable="w", ack_wait=1.0)

    store = FileCheckpoint(ckpt)
    first_bus = await bus().connect()
    first = StreamWorker(
        first_bus, AlertSink(factory), VADER, checkpoints=store, batch_size=200, checkpoint_every=1e9
    )
    while first.stats.delivered < len(payloads) // 2:
        await first.step(timeout=1.0)
    await first.checkpoint()  # saved and acknowledged
    for _ in range(3):
        await first.step(timeout=1.0)  # processed, never checkpointed nor acknowledged: then a crash
    await first_bus.close()

    second_bus = await bus().connect()
    second = StreamWorker(
        second_bus, AlertSink(factory), VADER, checkpoints=store, batch_size=200, checkpoint_every=0.2
    )
    deadline = time.monotonic() + 30
    while second.engine.processed < len(payloads) and time.monotonic() < deadline:
        await second.step(timeout=0.5)
    await second.checkpoint()
    await second_bus.close()
    await publisher.delete_stream()
    await publisher.close()
    return second.engine.processed, second.engine.duplicates + second.stats.duplicates, first.stats.delivered


def test_crash_and_resume_through_jetstream(
    nats_url: str,
    stream_name: str,
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    workspace: str,
    disrupted_day: list[dict[str, Any]],
) -> None:
    processed, _, _ = asyncio.run(
        _scenario(nats_url, stream_name, disrupted_day, session_factory, tmp_path / "w.ckpt")
    )
    assert processed == len(disrupted_day)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
