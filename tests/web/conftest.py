"""Web fixtures: an app over the test database, users of every role, and a logged-in client factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from web_helpers import PASSWORD, log_in

from parallax.api.app import create_app
from parallax.web.auth import passwords
from parallax.web.auth.users import create_user
from parallax.web.sample import SampleSpec, load_sample


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with minimal cost: the tests check behaviour, not the work factor (2 shared cores)."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def web_app(db_url: str, workspace: str) -> FastAPI:
    app = create_app(db_url, migrate=False)
    app.state.web_secret = "test-secret"
    return app


@pytest.fixture
def users(session_factory: sessionmaker[Session], workspace: str) -> dict[str, str]:
    """One user per role in ``acme`` (email = role@acme.test) and an admin in ``other``."""
    with session_factory() as session:
        for role in ("admin", "analyst", "agent", "viewer"):
            create_user(session, workspace, f"{role}@acme.test", PASSWORD, role)
        create_user(session, "other", "admin@other.test", PASSWORD, "admin")
        session.commit()
    return {role: f"{role}@acme.test" for role in ("admin", "analyst", "agent", "viewer")}


@pytest.fixture
def sample(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        load_sample(session, workspace, SampleSpec(interactions=1500))
        session.commit()


@pytest.fixture
def client_for(web_app: FastAPI, users: dict[str, str]) -> Callable[[str], tuple[TestClient, str]]:
    """``client_for("agent")`` gives a client logged in as that role and its CSRF token."""

    def make(role: str) -> tuple[TestClient, str]:
        client = TestClient(web_app)
        return client, log_in(client, users[role])

    return make
