"""Alert endpoints: list, acknowledge, resolve, escalate to a routed case, and the SSE live feed."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts import repository
from parallax.api.app import create_app
from parallax.store.models import Case, CaseEvent
from parallax.store.workspaces import create_api_key

T = datetime(2026, 3, 3, 15, 0)


def _seed(factory: sessionmaker[Session], workspace: str) -> tuple[str, int, int]:
    with factory() as session:
        key = create_api_key(session, workspace, "test")
        first = repository.create_alert(
            session,
            workspace,
            rule="spike",
            key="topic:delay|route:LHR-JFK",
            severity="high",
            title="Spike in delay complaints (LHR-JFK)",
            started_at=T,
            last_seen_at=T,
            count=40,
            detail={"topic": "delay", "examples": ["stuck at the gate, call [PHONE]"]},
        )
        other = repository.create_alert(
            session,
            "other",
            rule="spike",
            key="negative",
            severity="low",
            title="Other tenant",
            started_at=T,
            last_seen_at=T,
            count=5,
            detail={},
        )
        session.commit()
        return key, first.id, other.id


def test_list_ack_resolve_and_isolation(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    key, alert_id, other_id = _seed(session_factory, workspace)
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(db_url)) as client:
        listed = client.get("/v1/alerts", headers=headers).json()
        assert [a["id"] for a in listed] == [alert_id]
        assert client.get(f"/v1/alerts/{other_id}", headers=headers).status_code == 404
        acked = client.post(f"/v1/alerts/{alert_id}/ack", json={"by": "dana"}, headers=headers).json()
        assert (acked["status"], acked["acknowledged_by"]) == ("acknowledged", "dana")
        resolved = client.post(f"/v1/alerts/{alert_id}/resolve", json={"by": "dana"}, headers=headers).json()
        assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
        again = client.post(f"/v1/alerts/{alert_id}/resolve", json={"by": "dana"}, headers=headers)
        assert again.status_code == 409 and again.json()["error"] == "conflict"


def test_escalation_opens_one_routed_case_then_attaches(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    key, alert_id, _ = _seed(session_factory, workspace)
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(db_url)) as client:
        first = client.post(f"/v1/alerts/{alert_id}/escalate", json={"by": "sam"}, headers=headers).json()
        second = client.post(f"/v1/alerts/{alert_id}/escalate", json={"by": "sam"}, headers=headers).json()
    assert first["case_id"] == second["case_id"]
    assert (first["queue"], first["status"], first["priority"]) == ("operations", "new", "high")
    with session_factory() as session:
        case = session.scalars(select(Case)).one()
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert case.alert_id == alert_id and case.workspace_id == workspace
    assert [e.kind for e in events] == ["alert", "alert"]
    assert events[0].detail["alert_id"] == alert_id


def test_live_feed_sends_alerts_as_server_sent_events(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    key, alert_id, _ = _seed(session_factory, workspace)
    app = create_app(db_url)
    app.state.alert_poll_seconds = 0.05
    with (
        TestClient(app) as client,
        client.stream(
            "GET", "/v1/alerts/stream?limit=1", headers={"Authorization": f"Bearer {key}"}
        ) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    data = json.loads(next(line for line in lines if line.startswith("data:"))[5:])
    assert "event: alert" in lines
    assert data["id"] == alert_id
    assert data["detail"]["examples"] == ["stuck at the gate, call [PHONE]"]
