"""Settings: users and roles, API keys shown once, live feed polling and the customer 360 page."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.store.models import Customer, Interaction
from parallax.store.workspaces import workspace_for_key
from parallax.web.deps import WebUser
from parallax.web.pages.live import poll_once
from parallax.web.queries.live import cursors
from parallax.web.sample import SampleSpec, load_sample


def test_admin_adds_a_user_who_can_log_in(
    client_for: Callable[[str], tuple[TestClient, str]], web_app: object
) -> None:
    admin, token = client_for("admin")
    response = admin.post(
        "/settings/users",
        data={"csrf_token": token, "email": "new@acme.test", "password": "long-enough-pw", "role": "agent"},
    )
    assert response.status_code == 200 and "new@acme.test" in response.text
    duplicate = admin.post(
        "/settings/users",
        data={"csrf_token": token, "email": "NEW@acme.test", "password": "long-enough-pw", "role": "agent"},
    )
    assert duplicate.status_code == 409


def test_api_key_is_shown_once_and_works(
    client_for: Callable[[str], tuple[TestClient, str]], session_factory: sessionmaker[Session]
) -> None:
    admin, token = client_for("admin")
    page = admin.post("/settings/keys", data={"csrf_token": token, "name": "etl"}).text
    secret = page.split('<code id="new-key">', 1)[1].split("<", 1)[0]
    with session_factory() as session:
        assert workspace_for_key(session, secret) == "acme"
    assert secret not in admin.get("/settings").text


def test_live_poll_sends_only_new_rows(session_factory: sessionmaker[Session], workspace: str) -> None:
    user = WebUser(1, workspace, "a@acme.test", "", "analyst", "t")
    with session_factory() as session:
        load_sample(session, workspace, SampleSpec(interactions=50))
        session.commit()
        after = cursors(session, workspace)
        assert poll_once(session, user, after)[0] == []
        load_sample(session, workspace, SampleSpec(interactions=30, seed=8, mirror=False))
        session.commit()
        events, advanced = poll_once(session, user, after)
    names = [name for name, _ in events]
    assert names.count("interaction") == 30 and names.count("alert") == 2
    assert advanced[0] > after[0] and all("@example.com" not in data for _, data in events)


def test_customer_360_shows_history_and_cases(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session:
        customer_id = session.scalar(
            select(Interaction.customer_id).where(
                Interaction.workspace_id == "acme", Interaction.solicited.is_(False)
            )
        )
        name = session.get(Customer, customer_id).display_name  # type: ignore[union-attr]
    client, _ = client_for("viewer")
    assert f"/customers/{customer_id}" in client.get(f"/customers?q={customer_id}").text
    page = client.get(f"/customers/{customer_id}").text
    assert name in page and "History across channels" in page and "@example.com" not in page


def test_customer_profile_equals_identitys_build_profile(
    session_factory: sessionmaker[Session], sample: None, workspace: str
) -> None:
    from dataclasses import replace

    from parallax.enrich.pii import redact
    from parallax.identity.profile import build_profile
    from parallax.web.queries.profile import customer_profile

    with session_factory() as session:
        ids = list(session.scalars(select(Customer.id).where(Customer.workspace_id == workspace).limit(5)))
        for customer_id in ids:
            # Pages get raw texts and redact them for the viewer's role; identity's profile is redacted.
            page = customer_profile(session, workspace, customer_id)
            history = tuple(replace(h, text=redact(h.text) if h.text else None) for h in page.history)
            assert replace(page, history=history) == build_profile(session, workspace, customer_id)


def test_alert_rules_are_edited_per_workspace(
    client_for: Callable[[str], tuple[TestClient, str]], session_factory: sessionmaker[Session]
) -> None:
    from parallax.alerts.rule_settings import load_rules
    from parallax.alerts.rules import SpikeRule, ThresholdRule

    analyst, token = client_for("analyst")
    spike = {
        "csrf_token": token,
        "enabled": "on",
        "min_count": "25",
        "min_evidence": "5",
        "min_score": "0.9995",
    }
    assert analyst.post("/settings/alerts/spike", data=spike).status_code == 200
    added = analyst.post(
        "/settings/alerts/thresholds",
        data={"csrf_token": token, "name": "bags", "key": "topic:baggage|airport:LHR", "limit": "40"},
    )
    assert added.status_code == 200 and "topic:baggage|airport:lhr" in added.text
    bad = analyst.post(
        "/settings/alerts/thresholds", data={"csrf_token": token, "name": "x", "key": "x", "limit": "0"}
    )
    assert bad.status_code in (400, 422) and "must be at least 1" in bad.text
    viewer, viewer_token = client_for("viewer")
    assert (
        viewer.post("/settings/alerts/spike", data={**spike, "csrf_token": viewer_token}).status_code == 403
    )
    assert analyst.post("/settings/alerts/spike", data={**spike, "csrf_token": "forged"}).status_code in (
        400,
        403,
    )
    with session_factory() as session:
        assert load_rules(session, "acme") == (
            SpikeRule(min_count=25, min_evidence=5.0, min_score=0.9995),
            ThresholdRule("bags", "topic:baggage|airport:lhr", 40),
        )
        assert load_rules(session, "other") == (SpikeRule(),)
    analyst.post("/settings/alerts/thresholds/bags/delete", data={"csrf_token": token})
    analyst.post("/settings/alerts/spike", data={**spike, "enabled": ""})
    with session_factory() as session:
        assert load_rules(session, "acme") == ()


def test_taxonomy_is_chosen_per_workspace(
    client_for: Callable[[str], tuple[TestClient, str]], session_factory: sessionmaker[Session]
) -> None:
    from parallax.enrich.categories.workspace import DEFAULT_CHOICE, load_choice

    analyst, token = client_for("analyst")
    page = analyst.post("/settings/taxonomy", data={"csrf_token": token, "pack": "telecom"})
    assert page.status_code == 200 and "Outage and coverage" in page.text
    custom = "name: shop\ncategories:\n  - id: late_parcel\n    description: the parcel is late\n"
    page = analyst.post(
        "/settings/taxonomy", data={"csrf_token": token, "pack": "custom", "custom_yaml": custom}
    )
    assert (
        page.status_code == 200
        and "late_parcel" in page.text
        and "this workspace's own" in unescape(page.text)
    )
    bad = analyst.post(
        "/settings/taxonomy", data={"csrf_token": token, "pack": "custom", "custom_yaml": "name: x"}
    )
    assert bad.status_code in (400, 422) and "'categories' must be a non-empty list" in unescape(bad.text)
    agent, agent_token = client_for("agent")
    assert (
        agent.post("/settings/taxonomy", data={"csrf_token": agent_token, "pack": "banking"}).status_code
        == 403
    )
    with session_factory() as session:
        assert load_choice(session, "acme").load().name == "shop"
        assert load_choice(session, "other") == DEFAULT_CHOICE
