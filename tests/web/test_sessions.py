"""Server-side sessions: logout ends the session for good, and an admin disabling or deleting a user ends
every session of theirs at once (the next request goes to the login form)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web_helpers import PASSWORD, csrf_of, log_in

from parallax.kit.clock import utcnow
from parallax.store.models import User, WebSession
from parallax.web.auth.sessions import SESSION_COOKIE, active_session, decode_session, hash_session_id

ClientFor = Callable[[str], tuple[TestClient, str]]


def _user_id(factory: sessionmaker[Session], email: str) -> int:
    with factory() as session:
        found = session.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return int(found)


def _is_logged_in(client: TestClient) -> bool:
    response = client.get("/", follow_redirects=False)
    return response.status_code == 200


def test_cookie_carries_only_a_signed_session_id(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    log_in(client, users["admin"])
    session_id = decode_session("test-secret", client.cookies[SESSION_COOKIE])
    assert session_id is not None and users["admin"] not in client.cookies[SESSION_COOKIE]
    factory = web_app.state.session_factory
    with factory() as session:
        row = session.get(WebSession, hash_session_id(session_id))
        assert row is not None and row.revoked_at is None
        # The raw id is not stored: a read of the table cannot be turned into a cookie.
        assert session.scalar(select(func.count()).where(WebSession.id_hash == session_id)) == 0


def test_logout_revokes_the_session_and_a_replayed_cookie_is_rejected(
    web_app: FastAPI, users: dict[str, str]
) -> None:
    client = TestClient(web_app)
    token = log_in(client, users["admin"])
    stolen = client.cookies[SESSION_COOKIE]
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    replay = TestClient(web_app, cookies={SESSION_COOKIE: stolen})
    response = replay.get("/settings", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with web_app.state.session_factory() as session:
        assert session.scalar(select(func.count()).where(WebSession.revoked_at.is_(None))) == 0


def test_replayed_cookie_cannot_act_after_logout(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    token = log_in(client, users["admin"])
    stolen = client.cookies[SESSION_COOKIE]
    client.post("/logout", data={"csrf_token": token})
    replay = TestClient(web_app, cookies={SESSION_COOKIE: stolen})
    response = replay.post(
        "/settings/workspace", data={"csrf_token": token, "name": "Hijacked"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with web_app.state.session_factory() as session:
        from parallax.store.models import Workspace

        assert session.get(Workspace, "acme").name == "Acme Air"  # type: ignore[union-attr]


def test_expired_session_is_rejected(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    log_in(client, users["viewer"])
    session_id = decode_session("test-secret", client.cookies[SESSION_COOKIE])
    assert session_id is not None
    with web_app.state.session_factory() as session:
        row = session.get(WebSession, hash_session_id(session_id))
        assert row is not None and active_session(session, session_id, utcnow()) is row
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
    assert not _is_logged_in(client)


def test_admin_disables_a_user_and_their_sessions_end_at_once(
    client_for: ClientFor, session_factory: sessionmaker[Session], users: dict[str, str]
) -> None:
    admin, token = client_for("admin")
    agent, _ = client_for("agent")
    second_agent, _ = client_for("agent")
    assert _is_logged_in(agent) and _is_logged_in(second_agent)
    agent_id = _user_id(session_factory, users["agent"])
    response = admin.post(f"/settings/users/{agent_id}/disable", data={"csrf_token": token})
    assert response.status_code == 200 and "disabled" in response.text
    assert not _is_logged_in(agent) and not _is_logged_in(second_agent)
    relogin = TestClient(agent.app)
    form = csrf_of(relogin.get("/login").text)
    refused = relogin.post(
        "/login",
        data={"workspace": "acme", "email": users["agent"], "password": PASSWORD, "csrf_token": form},
    )
    assert refused.status_code == 401 and SESSION_COOKIE not in relogin.cookies
    admin.post(f"/settings/users/{agent_id}/enable", data={"csrf_token": token})
    log_in(relogin, users["agent"])
    assert _is_logged_in(relogin) and not _is_logged_in(agent)


def test_admin_deletes_a_user_and_their_sessions_end(
    client_for: ClientFor, session_factory: sessionmaker[Session], users: dict[str, str]
) -> None:
    admin, token = client_for("admin")
    analyst, _ = client_for("analyst")
    analyst_id = _user_id(session_factory, users["analyst"])
    response = admin.post(f"/settings/users/{analyst_id}/delete", data={"csrf_token": token})
    assert response.status_code == 200 and users["analyst"] not in response.text
    assert not _is_logged_in(analyst)
    with session_factory() as session:
        assert session.get(User, analyst_id) is None
        assert session.scalar(select(func.count()).where(WebSession.user_id == analyst_id)) == 0


def test_disable_and_delete_need_admin_csrf_and_keep_an_admin(
    client_for: ClientFor, session_factory: sessionmaker[Session], users: dict[str, str]
) -> None:
    admin, token = client_for("admin")
    agent, agent_token = client_for("agent")
    viewer_id = _user_id(session_factory, users["viewer"])
    admin_id = _user_id(session_factory, users["admin"])
    assert (
        agent.post(f"/settings/users/{viewer_id}/disable", data={"csrf_token": agent_token}).status_code
        == 403
    )
    assert (
        agent.post(f"/settings/users/{viewer_id}/delete", data={"csrf_token": agent_token}).status_code == 403
    )
    assert (
        admin.post(f"/settings/users/{viewer_id}/disable", data={"csrf_token": "forged"}).status_code == 403
    )
    assert admin.post(f"/settings/users/{admin_id}/disable", data={"csrf_token": token}).status_code == 409
    assert admin.post(f"/settings/users/{admin_id}/delete", data={"csrf_token": token}).status_code == 409
    other_admin = _user_id(session_factory, "admin@other.test")
    assert admin.post(f"/settings/users/{other_admin}/disable", data={"csrf_token": token}).status_code == 404
    with session_factory() as session:
        assert session.get(User, viewer_id).disabled_at is None  # type: ignore[union-attr]
    assert _is_logged_in(agent)
