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


async def _redelivery(url: str, stream: str, payloads: list[dict[str, Any]]) -> tuple[list[Any], ...]:
    subject = f"{stream.lower()}.in"
    publisher = await NatsBus(url, stream=stream, subject=subject).connect(consume=False)
    await publisher.publish_many(payloads + payloads[:5])  # the re-sent five are dropped by Nats-Msg-Id
    consumer = await NatsBus(url, stream=stream, subject=subject, durable="r", ack_wait=1.0).connect()
    try:
        first = await _fetch_all(consumer, len(payloads))
        for delivery in first[:10]:
            await delivery.ack()
        await asyncio.sleep(1.5)  # past ack_wait: the unacknowledged ones come again
        again = await _fetch_all(consumer, len(payloads) - 10)
        for delivery in again:
            await delivery.ack()
        await asyncio.sleep(1.5)
        after = await consumer.fetch(100, timeout=0.5)
    finally:
        await consumer.close()
        await publisher.delete_stream()
        await publisher.close()
    return first, again, after


async def _fetch_all(bus: NatsBus, n: int) -> list[Any]:
    got: list[Any] = []
    deadline = time.monotonic() + 20
    while len(got) < n and time.monotonic() < deadline:
        got.extend(await bus.fetch(7, timeout=0.5))  # small batches: several pull requests
    return got


def test_unacknowledged_messages_come_again_and_acknowledged_ones_do_not(
    nats_url: str, stream_name: str, disrupted_day: list[dict[str, Any]]
) -> None:
    payloads = disrupted_day[:40]
    first, again, after = asyncio.run(_redelivery(nats_url, stream_name, payloads))
    keys = [f"acme|synthetic|{p['external_id']}" for p in payloads]
    assert [d.msg_id for d in first] == keys  # in order, each once, the re-sent duplicates dropped
    assert not any(d.redelivered for d in first)
    assert sorted(d.msg_id for d in again) == sorted(keys[10:])
    assert all(d.redelivered for d in again)
    assert after == []
