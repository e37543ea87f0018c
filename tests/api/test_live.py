"""Posted interactions reach the stream bus once: new rows are published, re-sent ones are not."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from parallax.api.app import create_app
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.workspaces import create_api_key, ensure_workspace


class RecordingBus:
    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    async def publish_many(self, payloads: list[dict[str, Any]]) -> None:
        self.published.extend(payloads)


def _row(external_id: str) -> dict[str, Any]:
    return {
        "source": "app",
        "external_id": external_id,
        "channel": "twitter",
        "kind": "post",
        "occurred_at": "2026-01-01T10:00:00Z",
        "text": "flight cancelled again, no updates",
    }


def test_only_newly_inserted_rows_are_published(db_url: str) -> None:
    app = create_app(db_url)
    bus = RecordingBus()
    app.state.bus = bus
    with session_scope(make_sessionmaker(make_engine(db_url))) as session:
        ensure_workspace(session, "acme")
        key = create_api_key(session, "acme", "test")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        client.post("/v1/interactions", json={"interactions": [_row("1"), _row("2")]}, headers=headers)
        client.post("/v1/interactions", json={"interactions": [_row("2"), _row("3")]}, headers=headers)
    assert [p["external_id"] for p in bus.published] == ["1", "2", "3"]
    assert {p["workspace_id"] for p in bus.published} == {"acme"}


def test_live_app_starts_and_stops_its_worker(db_url: str) -> None:
    app = create_app(db_url, live=True, tier="baseline")
    with TestClient(app) as client:
        assert app.state.bus is not None
        assert client.get("/v1/health").status_code == 200
    assert app.state.bus is None
