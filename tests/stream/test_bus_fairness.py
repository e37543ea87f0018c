"""One workspace flooding the live path waits for its own backlog; every other workspace goes straight in.

Before, the in-process bus was one bounded queue: a client that filled it made every ingest request of
every workspace wait until the worker caught up.
"""

from __future__ import annotations

import asyncio
from typing import Any

from parallax.api.live import publish_within
from parallax.stream.bus import InProcessBus


def _payload(workspace: str, n: int) -> dict[str, Any]:
    return {"workspace_id": workspace, "source": "app", "external_id": f"{workspace}-{n}", "text": "late"}


async def _flood_then_other() -> tuple[bool, bool, list[str]]:
    bus = InProcessBus(maxsize=100, per_workspace=10)
    await bus.publish_many([_payload("flood", n) for n in range(10)])
    blocked = asyncio.create_task(bus.publish(_payload("flood", 10)))
    for _ in range(20):
        await asyncio.sleep(0)
    flood_waits = not blocked.done()
    await asyncio.wait_for(bus.publish(_payload("calm", 0)), 5)  # another workspace is not held up
    delivered = await bus.fetch(100, 1)
    await asyncio.wait_for(blocked, 5)  # room again: the flood's next message goes in
    later = await bus.fetch(100, 1)
    return flood_waits, blocked.done(), [d.payload["external_id"] for d in delivered + later]


def test_a_flooding_workspace_waits_and_others_do_not() -> None:
    flood_waits, released, order = asyncio.run(_flood_then_other())
    assert flood_waits and released
    assert order == [f"flood-{n}" for n in range(10)] + ["calm-0", "flood-10"]


async def _deferred_when_full() -> tuple[int, int]:
    bus = InProcessBus(maxsize=100, per_workspace=10)
    left_out = await publish_within(bus, [_payload("flood", n) for n in range(25)], 0.05)
    return left_out, bus.pending()


def test_an_ingest_answers_without_the_live_bus_when_its_backlog_stays_full() -> None:
    left_out, pending = asyncio.run(_deferred_when_full())
    assert (left_out, pending) == (15, 10)  # what went in is exactly what was not counted out
