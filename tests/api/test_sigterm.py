"""``parallax serve`` exits on SIGTERM within seconds, even with its live worker busy on a heavy batch.

Before, the worker scored texts on the event loop, so SIGTERM was not even read until it finished (a 5 MB
text: minutes).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from parallax.api.bench import make_store
from parallax.api.local_server import running_server

EXIT_BOUND_S = 20  # uvicorn's grace period is 3 s; the bound only tells "exits" from "hangs"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_busy_live_server_exits_on_sigterm(tmp_path: Path) -> None:
    url, key, _ = make_store(tmp_path)
    rows = [
        {
            "source": "t",
            "external_id": f"heavy-{n}",
            "channel": "twitter",
            "kind": "post",
            "occurred_at": "2026-01-01T10:00:00Z",
            "text": text,
        }
        for n, text in enumerate(["%" * 90_000 + "@", "1 " * 45_000, "flight " + " " * 90_000 + "x"] * 30)
    ]
    with running_server(url, live=True) as server:
        response = httpx.post(
            f"{server.base}/v1/interactions",
            json={"interactions": rows},
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        )
        assert response.status_code == 200 and response.json()["accepted"] == len(rows)
    assert server.stop_seconds is not None and server.stop_seconds < EXIT_BOUND_S
