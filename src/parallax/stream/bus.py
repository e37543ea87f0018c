"""The bus: publish interactions, consume them in batches, acknowledge after processing.

``InProcessBus`` (asyncio queues, zero set-up) is the default; ``NatsBus`` (stream/nats_bus.py) is the
real broker for several workers and machines. Both give the worker the same ``Delivery`` objects, and both
apply back-pressure: ``publish`` waits when the consumer is behind.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections import Counter, deque
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
    """A bounded in-memory queue with back-pressure per workspace.

    ``publish`` waits while ``maxsize`` messages wait in all, or ``per_workspace`` of its own workspace's:
    a workspace that floods the live path (a backfill, a hostile client) waits for its own backlog to
    drain, while every other workspace's messages still go straight in. Order is kept within a workspace.
    """

    def __init__(self, maxsize: int = 100_000, per_workspace: int = 10_000) -> None:
        self.maxsize = maxsize
        self.per_workspace = min(per_workspace, maxsize)
        self._messages: deque[dict[str, Any]] = deque()
        self._pending: Counter[str] = Counter()  # workspace -> messages waiting
        self._changed = asyncio.Condition()

    def _has_room(self, workspace: str, count: int) -> bool:
        return (
            len(self._messages) + count <= self.maxsize
            and self._pending[workspace] + count <= self.per_workspace
        )

    async def publish(self, payload: dict[str, Any]) -> None:
        await self.publish_many([payload])

    async def publish_many(self, payloads: list[dict[str, Any]]) -> None:
        """Each run of one workspace's messages (up to ``per_workspace`` of them) goes in whole once there is
        room for all of it: a publish cancelled while it waits has put nothing of that run in."""
        async with self._changed:
            for workspace, run in _runs(payloads, self.per_workspace):
                room = functools.partial(self._has_room, workspace, len(run))
                await self._changed.wait_for(room)
                self._messages.extend(run)
                self._pending[workspace] += len(run)
                self._changed.notify_all()

    async def fetch(self, max_messages: int, timeout: float) -> list[Delivery]:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._messages)), timeout)
            except TimeoutError:
                return []
            batch = [self._messages.popleft() for _ in range(min(max_messages, len(self._messages)))]
            for payload in batch:
                workspace = str(payload.get("workspace_id", ""))
                self._pending[workspace] -= 1
                if self._pending[workspace] <= 0:
                    del self._pending[workspace]
            self._changed.notify_all()
        return [Delivery(p, natural_key(p), _noop) for p in batch]

    def pending(self) -> int:
        return len(self._messages)

    async def close(self) -> None:
        return None


def _runs(payloads: list[dict[str, Any]], longest: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Consecutive messages of one workspace, at most ``longest`` a run."""
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    for payload in payloads:
        workspace = str(payload.get("workspace_id", ""))
        if runs and runs[-1][0] == workspace and len(runs[-1][1]) < longest:
            runs[-1][1].append(payload)
        else:
            runs.append((workspace, [payload]))
    return runs
