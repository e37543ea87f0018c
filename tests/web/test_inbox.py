"""The case inbox through the app: filters, working a case, replies on the customer's channel, CSRF."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from parallax.cases.outbound import FakeAdapter, Outbound

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
from case_factories import make_case


@pytest.fixture
def outbox(web_app: FastAPI) -> FakeAdapter:
    fake = FakeAdapter()
    web_app.state.outbound = Outbound({"*": fake})
    return fake


@pytest.fixture
def case_id(session_factory: sessionmaker[Session], workspace: str) -> int:
    with session_factory() as session:
        found = make_case(session, workspace, channel="email", tier="gold", sentiment=-0.8)
        session.commit()
    return found


def _seen(html: str) -> str:
    return re.search(r'name="seen_event_id" value="(\d+)"', html).group(1)  # type: ignore[union-attr]


def test_agent_works_a_case_end_to_end(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int, outbox: FakeAdapter
) -> None:
    client, token = client_for("agent")
    assert f"/cases/{case_id}" in client.get("/cases").text
    page = client.get(f"/cases/{case_id}").text
    assert "from @ann" in page  # agents see who they answer
    reply = client.post(
        f"/cases/{case_id}/reply",
        data={"csrf_token": token, "body": "Your bag is found", "seen_event_id": _seen(page)},
    )
    assert reply.status_code == 200 and "Reply sent." in reply.text
    assert outbox.sent[0].recipient == "ann@example.com" and outbox.sent[0].channel == "email"
    client.post(f"/cases/{case_id}/note", data={"csrf_token": token, "body": "Courier booked"})
    client.post(f"/cases/{case_id}/priority", data={"csrf_token": token, "priority": "high"})
    client.post(f"/cases/{case_id}/assign", data={"csrf_token": token, "assignee": "agent@acme.test"})
    done = client.post(f"/cases/{case_id}/status", data={"csrf_token": token, "status": "resolved"})
    assert "Status changed." in done.text
    text = re.sub(r"\s+", " ", done.text)
    assert "Internal note by agent@acme.test" in text and "moved it from open to resolved" in text
    assert "Reply by agent@acme.test via email" in text and "assigned it to agent@acme.test" in text


def test_forbidden_transition_shows_an_error(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int
) -> None:
    client, token = client_for("agent")
    response = client.post(f"/cases/{case_id}/status", data={"csrf_token": token, "status": "resolved"})
    assert response.status_code == 409 and "cannot go from new to resolved" in response.text


def test_second_agent_is_warned_and_no_duplicate_is_sent(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int, outbox: FakeAdapter
) -> None:
    first, first_token = client_for("agent")
    second, second_token = client_for("admin")
    seen = _seen(first.get(f"/cases/{case_id}").text)
    _seen(second.get(f"/cases/{case_id}").text)
    first.post(f"/cases/{case_id}/replying", headers={"X-CSRF-Token": first_token})
    others = second.post(f"/cases/{case_id}/replying", headers={"X-CSRF-Token": second_token}).json()[
        "others"
    ]
    assert [o["who"] for o in others] == ["agent@acme.test"]
    refused = second.post(
        f"/cases/{case_id}/reply", data={"csrf_token": second_token, "body": "Hi", "seen_event_id": seen}
    )
    assert (
        refused.status_code == 409 and "already replying" in refused.text and 'name="confirm"' in refused.text
    )
    sent = first.post(
        f"/cases/{case_id}/reply",
        data={"csrf_token": first_token, "body": "Hello", "seen_event_id": seen, "confirm": "true"},
    )
    assert "Reply sent." in sent.text
    late = second.post(
        f"/cases/{case_id}/reply",
        data={"csrf_token": second_token, "body": "Hi", "seen_event_id": seen, "confirm": "true"},
    )
    assert late.status_code == 409 and "already replied" in late.text
    assert [m.body for m in outbox.sent] == ["Hello"]


def test_posts_without_csrf_are_rejected(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int
) -> None:
    client, _ = client_for("agent")
    for path, form in (
        (f"/cases/{case_id}/note", {"body": "x"}),
        (f"/cases/{case_id}/status", {"status": "open"}),
    ):
        assert client.post(path, data=form).status_code == 403
        assert client.post(path, data={**form, "csrf_token": "forged"}).status_code == 403
    assert "Internal note by" not in client.get(f"/cases/{case_id}").text


def test_viewer_reads_but_cannot_act_and_sees_redacted(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int
) -> None:
    client, token = client_for("viewer")
    page = client.get(f"/cases/{case_id}").text
    assert "from @ann" not in page and "from @a***" in page and "Send reply" not in page
    assert client.post(f"/cases/{case_id}/note", data={"csrf_token": token, "body": "x"}).status_code == 403


def test_cases_of_another_workspace_are_invisible(
    client_for: Callable[[str], tuple[TestClient, str]], session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session:
        theirs = make_case(session, "other")
        session.commit()
    client, token = client_for("admin")
    assert client.get(f"/cases/{theirs}").status_code == 404
    assert client.post(f"/cases/{theirs}/note", data={"csrf_token": token, "body": "x"}).status_code == 404


def test_routing_rules_are_edited_in_settings_and_applied(
    client_for: Callable[[str], tuple[TestClient, str]], case_id: int
) -> None:
    analyst, token = client_for("analyst")
    analyst.post(
        "/settings/routing",
        data={
            "csrf_token": token,
            "name": "VIP",
            "if_loyalty_tier": "gold,platinum",
            "queue": "vip",
            "priority": "urgent",
        },
    )
    bad = analyst.post("/settings/routing", data={"csrf_token": token, "name": "empty"})
    assert bad.status_code == 422
    assert "loyalty_tier in gold,platinum" in analyst.get("/settings").text
    agent, agent_token = client_for("agent")
    assert "Routed 1 new case" in agent.post("/cases/route", data={"csrf_token": agent_token}).text
    page = re.sub(r"\s+", " ", agent.get(f"/cases/{case_id}").text)
    assert 'Routed by rule "VIP": queue vip, priority urgent' in page
    assert (
        "vip" in agent.get("/cases?queue=vip").text
        and f"/cases/{case_id}" in agent.get("/cases?queue=vip").text
    )
