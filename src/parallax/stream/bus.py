"""The bus: publish interactions, consume them in batches, acknowledge after processing.

``InProcessBus`` (asyncio queues, zero set-up) is the default; ``NatsBus`` (stream/nats_bus.py) is the
real broker for several workers and machines. Both give the worker the same ``Delivery`` objects, and both
apply back-pressure: ``publish`` waits when the consumer is behind.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parallax.stream.flight_feed import KIND as FLIGHT_STATUS
from parallax.stream.flight_feed import message_key as flight_message_key

SUBJECT = "parallax.interactions"


@dataclass(frozen=True)
class Delivery:
    """One message as delivered (possibly again); ``ack`` confirms it was processed and checkpointed."""

    payload: dict[str, Any]
    msg_id: str
    ack: Callable[[], Awaitable[None]]
    redelivered: bool = False


def natural_key(payload: dict[str, Any]) -> str:
    if payload.get("kind") == FLIGHT_STATUS:  # a malformed one too: it must be deliverable to be reported
        return flight_message_key(payload)
    return f"{payload['workspace_id']}|{payload['source']}|{payload['external_id']}"


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, default=_default, separators=(",", ":")).encode()


def _default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


class Bus(Protocol):
    async def publish(self, payload: dict[str, Any]) -> None: ...

    async def publish_many(self, payloads: list[dict[str, Any]]) -> None: ...

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]: ...

    async def close(self) -> None: ...


async def _noop() -> None:
    return None


class InProcessBus:
    """A bounded asyncio queue: ``publish`` waits when ``maxsize`` messages are waiting (back-pressure)."""

    def __init__(self, maxsize: int = 10_000) -> None:
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=maxsize)

    async def publish(self, payload: dict[str, Any]) -> None:
        await self._queue.put(payload)

    async def publish_many(self, payloads: list[dict[str, Any]]) -> None:
        for payload in payloads:
            await self._queue.put(payload)

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]:
        try:
            first = await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return []
        batch = [first]
        while len(batch) < max_messages and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return [Delivery(p, natural_key(p), _noop) for p in batch]

    def pending(self) -> int:
        return self._queue.qsize()

    async def close(self) -> None:
        return None
