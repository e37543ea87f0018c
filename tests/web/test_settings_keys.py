"""The settings page creates API keys with an optional expiry and shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.clock import utcnow
from parallax.store.models import ApiKey
from parallax.store.workspaces import workspace_for_key


def test_settings_creates_a_key_that_expires(
    client_for: Callable[[str], tuple[TestClient, str]], session_factory: sessionmaker[Session]
) -> None:
    admin, token = client_for("admin")
    page = admin.post("/settings/keys", data={"csrf_token": token, "name": "etl", "expires_days": "7"})
    assert page.status_code == 200
    secret = page.text.split('<code id="new-key">', 1)[1].split("<", 1)[0]
    with session_factory() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.name == "etl"))
        assert key is not None and key.expires_at is not None
        assert abs(key.expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=5)
        assert workspace_for_key(session, secret) == "acme"
        assert workspace_for_key(session, secret, now=utcnow() + timedelta(days=8)) is None
    assert key.expires_at.strftime("%Y-%m-%d %H:%M") in admin.get("/settings").text
    for bad in ("0", "-3", "abc", "100000"):
        refused = admin.post("/settings/keys", data={"csrf_token": token, "name": "x", "expires_days": bad})
        assert refused.status_code == 422
    never = admin.post("/settings/keys", data={"csrf_token": token, "name": "etl2", "expires_days": ""})
    assert never.status_code == 200
    with session_factory() as session:
        assert session.scalar(select(ApiKey.expires_at).where(ApiKey.name == "etl2")) is None
