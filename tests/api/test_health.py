from __future__ import annotations

from fastapi.testclient import TestClient

from parallax.api.app import create_app


def test_health_needs_no_key_and_reports_version(db_url: str) -> None:
    with TestClient(create_app(db_url)) as client:
        response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unknown_route_and_missing_key_are_json_errors(db_url: str) -> None:
    with TestClient(create_app(db_url)) as client:
        missing = client.get("/v1/interactions")
        unknown = client.get("/v1/nothing-here")
    assert missing.status_code == 401
    assert missing.json()["error"] == "unauthorized"
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"error", "detail"}


def test_listed_text_is_redacted(db_url: str) -> None:
    from parallax.kit.db import make_engine, make_sessionmaker, session_scope
    from parallax.store.workspaces import create_api_key, ensure_workspace

    app = create_app(db_url)
    with session_scope(make_sessionmaker(make_engine(db_url))) as session:
        ensure_workspace(session, "acme")
        key = create_api_key(session, "acme", "test")
    row = {
        "source": "t",
        "external_id": "1",
        "channel": "email",
        "kind": "message",
        "occurred_at": "2026-01-01T00:00:00Z",
        "text": "write to jane.doe@example.com or +1 415 555 2671",
    }
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {key}"}
        assert (
            client.post("/v1/interactions", json={"interactions": [row]}, headers=headers).status_code == 200
        )
        listed = client.get("/v1/interactions", headers=headers).json()["items"][0]["text"]
    assert "jane.doe" not in listed and "555" not in listed
    assert "[EMAIL]" in listed
