"""NATS JetStream bus: a durable stream and a durable pull consumer, so a restarted worker resumes where it
stopped. Delivery is at-least-once (a message not acknowledged within ``ack_wait`` comes again); publishes
carry ``Nats-Msg-Id`` = the interaction's natural key, so JetStream drops re-sent duplicates within its
window, and the worker dedupes anything later. Back-pressure: ``publish_many`` waits for the server's acks
(at most ``max_publish_pending`` in flight), and the consumer never has more than ``max_ack_pending``
messages delivered and unacknowledged.

Throughput: nats-py's ``JetStreamContext.publish`` waits for each ack in turn and its pull ``fetch`` wakes a
task per message (about 90 and 65 us of CPU a message here); ``publish_async`` with one wait per batch,
and pull requests sent by hand to a callback subscription, cost about half and a third of that. Each pull
request has its own reply subject, so the end-of-batch status the server sends (404/408) is matched to the
request it ends.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from functools import partial
from typing import Any

from parallax.kit.errors import require
from parallax.stream.bus import SUBJECT, Delivery, encode, natural_key

_END_STATUSES = frozenset({"404", "408", "409"})  # no messages, request expired, consumer limits


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
        max_publish_pending: int = 4_000,
    ) -> None:
        self.url, self.stream, self.subject, self.durable = url, stream, subject, durable
        self.ack_wait, self.max_ack_pending = ack_wait, max_ack_pending
        self.publish_timeout, self.max_publish_pending = publish_timeout, max_publish_pending
        self._nc: Any = None
        self._js: Any = None
        self._inbox = ""
        self._buffer: deque[Any] = deque()
        self._wake = asyncio.Event()
        self._request = 0
        self._ended = 0  # the last pull request whose end the server signalled

    async def connect(self, consume: bool = True) -> NatsBus:
        nats = require("nats", "stream")
        api = require("nats.js.api", "stream")
        self._nc = await nats.connect(self.url, connect_timeout=3, max_reconnect_attempts=3)
        self._js = self._nc.jetstream(publish_async_max_pending=self.max_publish_pending)
        config = api.StreamConfig(name=self.stream, subjects=[self.subject])
        try:
            await self._js.add_stream(config)
        except Exception:  # exists with a different config: keep it, the subject is what matters
            await self._js.stream_info(self.stream)
        if consume:
            await self._ensure_consumer(api)
            self._inbox = self._nc.new_inbox()
            await self._nc.subscribe(f"{self._inbox}.*", cb=self._on_message)
        return self

    async def _ensure_consumer(self, api: Any) -> None:
        consumer = api.ConsumerConfig(
            durable_name=self.durable,
            ack_wait=self.ack_wait,
            max_ack_pending=self.max_ack_pending,
            ack_policy=api.AckPolicy.EXPLICIT,
            filter_subject=self.subject,
        )
        try:
            await self._js.add_consumer(self.stream, consumer)
        except Exception:  # exists with another config (an older version): resume on it as it is
            await self._js.consumer_info(self.stream, self.durable)

    async def _on_message(self, message: Any) -> None:
        headers = message.headers
        if headers and "Status" in headers:
            if headers["Status"] in _END_STATUSES:
                self._ended = max(self._ended, int(message.subject.rsplit(".", 1)[1]))
        else:
            self._buffer.append(message)
        self._wake.set()

    async def publish(self, payload: dict[str, Any], attempts: int = 5) -> None:
        await self.publish_many([payload], attempts)

    async def publish_many(self, payloads: list[dict[str, Any]], attempts: int = 5) -> None:
        """Publish a batch and wait for every server ack; what timed out is sent again with the same
        ``Nats-Msg-Id``, so the server keeps one copy (at-least-once from the publisher's side too)."""
        step = max(self.max_publish_pending // 2, 1)  # a chunk never waits on its own unacked messages
        for start in range(0, len(payloads), step):
            left = payloads[start : start + step]
            for _ in range(attempts):
                left = await self._publish_chunk(left)
                if not left:
                    break
            if left:
                raise TimeoutError(f"{len(left)} publishes unacknowledged after {attempts} attempts")

    async def _publish_chunk(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send, wait up to ``publish_timeout`` for the acks, return what was not acknowledged."""
        # No ``wait_stall``: with it nats-py wraps every publish in a task (about 25 us each).
        futures = [
            await self._js.publish_async(self.subject, encode(p), headers={"Nats-Msg-Id": natural_key(p)})
            for p in payloads
        ]
        await asyncio.wait(futures, timeout=self.publish_timeout)
        for future in futures:
            future.cancel()  # frees its slot; a late ack for a message sent again is ignored
        return [p for p, f in zip(payloads, futures, strict=True) if not _succeeded(f)]

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]:
        """What is buffered, else what the server has now, else the first to arrive within ``timeout``."""
        messages = self._take(max_messages)
        if not messages:
            deadline = time.monotonic() + timeout
            await self._pull(max_messages, None, deadline)
            messages = self._take(max_messages)
            if not messages and (left := deadline - time.monotonic()) > 0.001:
                await self._pull(max_messages, left, deadline)
                messages = self._take(max_messages)
        return [_delivery(m, self._nc) for m in messages]

    async def _pull(self, batch: int, expires: float | None, deadline: float) -> None:
        """Send one pull request; wait until the server ends it (no_wait), any message arrives (expires),
        or the deadline passes. Messages it brings later are buffered for the next fetch."""
        self._request += 1
        request = self._request
        body: dict[str, Any] = {"batch": batch}
        if expires is None:
            body["no_wait"] = True
        else:
            body["expires"] = int(expires * 1e9)
        subject = f"$JS.API.CONSUMER.MSG.NEXT.{self.stream}.{self.durable}"
        self._wake.clear()
        await self._nc.publish(subject, json.dumps(body).encode(), reply=f"{self._inbox}.{request}")
        while self._ended < request and len(self._buffer) < batch:
            if expires is not None and self._buffer:
                return
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                await asyncio.wait_for(self._wake.wait(), left)
            except TimeoutError:
                return
            self._wake.clear()

    def _take(self, n: int) -> list[Any]:
        buffer = self._buffer
        return [buffer.popleft() for _ in range(min(n, len(buffer)))]

    async def delete_stream(self) -> None:
        """Remove the stream (tests and benchmarks clean up after themselves)."""
        await self._js.delete_stream(self.stream)

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()
            self._nc = None


def _succeeded(future: asyncio.Future[Any]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _delivery(message: Any, connection: Any) -> Delivery:
    payload = json.loads(message.data)
    return Delivery(
        payload, natural_key(payload), partial(connection.publish, message.reply), _redelivered(message.reply)
    )


def _redelivered(reply: str) -> bool:
    """From the ack subject: ``$JS.ACK.<stream>.<consumer>.<delivered>...`` (9 tokens), or the form with
    domain and account hash before the stream (12 tokens). Parsed here: nats-py's metadata costs 12 us."""
    tokens = reply.split(".")
    delivered = tokens[4] if len(tokens) == 9 else tokens[6]
    return delivered != "1"
