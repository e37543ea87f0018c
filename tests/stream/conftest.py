"""Stream fixtures: a seeded disrupted day, and a NATS server that must answer in CI (CI=true)."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from parallax.stream.synthetic import Plan, interactions

NATS_URL = os.environ.get("PARALLAX_TEST_NATS_URL", "nats://127.0.0.1:4222")
START = datetime(2026, 3, 2, 6, 0)
SPIKE_AT = START + timedelta(hours=4, minutes=2)


def _nats_available() -> bool:
    async def probe() -> bool:
        import nats

        try:
            nc = await nats.connect(
                NATS_URL, connect_timeout=2, max_reconnect_attempts=0, allow_reconnect=False
            )
        except Exception:
            return False
        await nc.close()
        return True

    return asyncio.run(probe())


@pytest.fixture(scope="session")
def nats_url() -> str:
    """A reachable NATS JetStream server; skips on a laptop without one, fails in CI."""
    if not _nats_available():
        message = f"NATS is not reachable at {NATS_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: NATS tests must run, not skip)")
        pytest.skip(message)
    return NATS_URL


@pytest.fixture
def stream_name() -> str:
    return f"PXTEST_{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture(scope="session")
def spike_at() -> datetime:
    return SPIKE_AT


@pytest.fixture(scope="session")
def disrupted_day() -> list[dict[str, Any]]:
    """Five hours at 4 interactions a minute, with a delay disruption on LHR-JFK after four hours."""
    plan = Plan(start=START, duration=timedelta(hours=5), rate_per_min=4.0, spike_at=SPIKE_AT)
    return list(interactions(plan, seed=11))
