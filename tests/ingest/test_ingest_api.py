"""POST /v1/interactions: auth, batch limit, per-row errors, idempotency and workspace isolation."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from parallax.api.app import create_app
from parallax.store.workspaces import create_api_key


def _keys(factory: sessionmaker[Session]) -> tuple[str, str]:
    with factory() as session:
        acme, other = create_api_key(session, "acme", "test"), create_api_key(session, "other", "test")
        session.commit()
    return acme, other


def _record(external_id: str, **change: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "chat-widget",
        "external_id": external_id,
        "channel": "chat",
        "kind": "message",
        "occurred_at": "2026-01-05T10:00:00Z",
        "text": "where is my bag",
        "segments": {"airport": "JFK"},
    }
    record.update(change)
    return record


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_is_required_and_a_wrong_key_is_refused(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    body = {"interactions": [_record("1")]}
    with TestClient(create_app(db_url)) as client:
        missing = client.post("/v1/interactions", json=body)
        wrong = client.post("/v1/interactions", json=body, headers=_auth("plx_not-a-real-key"))
    assert missing.status_code == wrong.status_code == 401
    assert wrong.json()["error"] == "unauthorized" and set(wrong.json()) == {"error", "detail"}


def test_batch_over_1000_is_a_422_json_error(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    acme, _ = _keys(session_factory)
    body = {"interactions": [_record(str(i)) for i in range(1001)]}
    with TestClient(create_app(db_url)) as client:
        response = client.post("/v1/interactions", json=body, headers=_auth(acme))
    assert response.status_code == 422
    assert response.json()["error"] == "validation_failed" and "1000" in response.json()["detail"]


def test_bad_rows_are_reported_by_index_and_good_rows_accepted_once(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    acme, _ = _keys(session_factory)
    rows = [
        _record("1"),
        _record("2", channel="fax"),
        _record("3", score_type="nps", score_value=11),
        _record("4"),
    ]
    with TestClient(create_app(db_url)) as client:
        first = client.post("/v1/interactions", json={"interactions": rows}, headers=_auth(acme)).json()
        again = client.post("/v1/interactions", json={"interactions": rows}, headers=_auth(acme)).json()
    assert (first["accepted"], first["duplicates"], len(first["ids"])) == (2, 0, 2)
    assert [(e["row"], e["field"]) for e in first["rejected"]] == [(1, "channel"), (2, "score_value")]
    assert (again["accepted"], again["duplicates"]) == (0, 2)


def test_a_workspace_never_sees_another_workspaces_rows(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    acme, other = _keys(session_factory)
    with TestClient(create_app(db_url)) as client:
        client.post(
            "/v1/interactions", json={"interactions": [_record("a1"), _record("shared")]}, headers=_auth(acme)
        )
        client.post(
            "/v1/interactions",
            json={"interactions": [_record("b1"), _record("shared")]},
            headers=_auth(other),
        )
        seen_by_acme = client.get("/v1/interactions", headers=_auth(acme)).json()["items"]
        seen_by_other = client.get("/v1/interactions?limit=500", headers=_auth(other)).json()["items"]
    assert sorted(i["external_id"] for i in seen_by_acme) == ["a1", "shared"]
    assert sorted(i["external_id"] for i in seen_by_other) == ["b1", "shared"]
    assert not {i["id"] for i in seen_by_acme} & {i["id"] for i in seen_by_other}


def test_a_row_that_is_not_an_object_is_rejected_alone(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    acme, _ = _keys(session_factory)
    rows = [_record("1"), "a string", [1, 2], None, 7, _record("2")]
    with TestClient(create_app(db_url)) as client:
        response = client.post("/v1/interactions", json={"interactions": rows}, headers=_auth(acme))
        schema = client.get("/openapi.json").json()["components"]["schemas"]["Batch"]
    body = response.json()
    assert response.status_code == 200, body
    assert (body["accepted"], len(body["ids"])) == (2, 2)
    assert [(e["row"], e["field"], e["reason"]) for e in body["rejected"]] == [
        (1, "(row)", "not a JSON object: a string"),
        (2, "(row)", "not a JSON object: an array"),
        (3, "(row)", "not a JSON object: null"),
        (4, "(row)", "not a JSON object: a number"),
    ]
    assert schema["properties"]["interactions"]["items"]["type"] == "object"  # the contract stays objects
