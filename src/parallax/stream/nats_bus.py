"""NATS JetStream bus: a durable stream and a durable pull consumer, so a restarted worker resumes where it
stopped. Delivery is at-least-once (a message not acknowledged within ``ack_wait`` comes again); publishes
carry ``Nats-Msg-Id`` = the interaction's natural key, so JetStream drops re-sent duplicates within its
window, and the worker dedupes anything later. Back-pressure: ``publish`` waits for the server's ack, and
the consumer never has more than ``max_ack_pending`` messages in flight.
"""

from __future__ import annotations

import json
from typing import Any

from parallax.kit.errors import require
from parallax.stream.bus import SUBJECT, Delivery, encode, natural_key


class NatsBus:
    def __init__(
        self,
        url: str = "nats://127.0.0.1:4222",
        stream: str = "PARALLAX",
        subject: str = SUBJECT,
        durable: str = "parallax-worker",
        ack_wait: float = 30.0,
        max_ack_pending: int = 50_000,
        publish_timeout: float = 10.0,
    ) -> None:
        self.url, self.stream, self.subject, self.durable = url, stream, subject, durable
        self.ack_wait, self.max_ack_pending = ack_wait, max_ack_pending
        self.publish_timeout = publish_timeout
        self._nc: Any = None
        self._js: Any = None
        self._sub: Any = None

    async def connect(self, consume: bool = True) -> NatsBus:
        nats = require("nats", "stream")
        api = require("nats.js.api", "stream")
        self._nc = await nats.connect(self.url, connect_timeout=3, max_reconnect_attempts=3)
        self._js = self._nc.jetstream()
        config = api.StreamConfig(name=self.stream, subjects=[self.subject])
        try:
            await self._js.add_stream(config)
        except Exception:  # exists with a different config: keep it, the subject is what matters
            await self._js.stream_info(self.stream)
        if consume:
            consumer = api.ConsumerConfig(
                ack_wait=self.ack_wait,
                max_ack_pending=self.max_ack_pending,
                ack_policy=api.AckPolicy.EXPLICIT,
            )
            self._sub = await self._js.pull_subscribe(
                self.subject, durable=self.durable, stream=self.stream, config=consumer
            )
        return self

    async def publish(self, payload: dict[str, Any], attempts: int = 5) -> None:
        """Publish and wait for the server's ack; a timed-out publish is sent again with the same
        ``Nats-Msg-Id``, so the server keeps one copy (at-least-once from the publisher's side too)."""
        errors = require("nats.errors", "stream")
        data, headers = encode(payload), {"Nats-Msg-Id": natural_key(payload)}
        for attempt in range(1, attempts + 1):
            try:
                await self._js.publish(self.subject, data, timeout=self.publish_timeout, headers=headers)
                return
            except (errors.TimeoutError, TimeoutError):
                if attempt == attempts:
                    raise

    async def publish_many(self, payloads: list[dict[str, Any]]) -> None:
        """Publish a batch concurrently and wait for every server ack (back-pressure per batch)."""
        import asyncio

        for start in range(0, len(payloads), 256):  # a bounded number of acks in flight
            await asyncio.gather(*(self.publish(p) for p in payloads[start : start + 256]))

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]:
        """Collect up to ``max_messages`` for at most ``timeout`` seconds: big batches, bounded wait."""
        import time

        errors = require("nats.errors", "stream")
        messages: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(messages) < max_messages and (left := deadline - time.monotonic()) > 0.001:
            try:
                messages.extend(await self._sub.fetch(max_messages - len(messages), timeout=left))
            except (errors.TimeoutError, TimeoutError):  # nats-py raises either, depending on the path
                break
        deliveries = []
        for message in messages:
            payload = json.loads(message.data)
            redelivered = message.metadata.num_delivered > 1
            deliveries.append(Delivery(payload, natural_key(payload), message.ack, redelivered))
        return deliveries

    async def delete_stream(self) -> None:
        """Remove the stream (tests and benchmarks clean up after themselves)."""
        await self._js.delete_stream(self.stream)

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()
            self._nc = None
