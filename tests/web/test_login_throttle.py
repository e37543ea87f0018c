"""Login throttling: per-account and per-address limits with exponential back-off, kept in the database
(so they hold across processes), every attempt recorded without the password or the email in clear."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_helpers import PASSWORD, csrf_of

from parallax.store.models import LoginAttempt
from parallax.web.auth.sessions import SESSION_COOKIE
from parallax.web.auth.throttle import ThrottlePolicy, account_key, lock_delay, locked_until, record_attempt

T0 = datetime(2026, 3, 1, 9, 0)


def _try(client: TestClient, email: str, password: str, workspace: str = "acme") -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"workspace": workspace, "email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_fifty_wrong_passwords_then_the_right_one_is_locked_out(
    web_app: FastAPI, users: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    client = TestClient(web_app)
    codes = [_try(client, users["admin"], f"wrong-{i}") for i in range(50)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    token = csrf_of(client.get("/login").text)
    locked = client.post(
        "/login",
        data={"workspace": "acme", "email": users["admin"], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert locked.status_code == 429 and SESSION_COOKIE not in client.cookies
    assert "Too many failed logins" in locked.text and "try again in" in locked.text
    assert int(locked.headers["Retry-After"]) > 0
    # Another account from another address is not held up by this one.
    elsewhere = TestClient(web_app, client=("10.0.0.9", 5000))
    assert _try(elsewhere, users["viewer"], PASSWORD) == 303


def test_failed_logins_are_recorded_without_password_or_email(
    web_app: FastAPI,
    users: dict[str, str],
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(web_app, client=("192.0.2.7", 4000))
    with caplog.at_level(logging.INFO):
        assert _try(client, users["agent"], "hunter2-wrong") == 401
        assert _try(client, "nobody@acme.test", "hunter3-wrong") == 401
        assert _try(client, users["agent"], "x", workspace="someone@mail.example") == 401
        assert _try(client, users["agent"], PASSWORD) == 303
    with session_factory() as session:
        rows = list(session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)))
    assert [r.reason for r in rows] == ["bad_password", "unknown_user", "unknown_user", "ok"]
    assert [r.workspace_id for r in rows] == ["acme", "acme", "?", "acme"]
    assert {r.address for r in rows} == {"192.0.2.7"}
    assert rows[0].account == account_key("acme", users["agent"].upper())
    stored = " ".join(f"{r.workspace_id} {r.account} {r.address} {r.reason}" for r in rows)
    logged = caplog.text
    for secret in ("hunter2", "hunter3", users["agent"], "nobody@acme.test", "someone@mail.example"):
        assert secret not in stored and secret not in logged
    assert "reason=bad_password" in logged


def test_back_off_doubles_and_success_resets_the_account(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    policy = ThrottlePolicy()
    email, address = "a@acme.test", "198.51.100.1"
    with session_factory() as session:
        for i in range(4):
            record_attempt(session, workspace, email, address, "bad_password", T0 + timedelta(seconds=i))
        assert locked_until(session, workspace, email, address, T0 + timedelta(seconds=4)) is None
        last = T0 + timedelta(seconds=4)
        record_attempt(session, workspace, email, address, "bad_password", last)
        assert locked_until(session, workspace, email, address, last) == last + timedelta(seconds=30)
        assert locked_until(session, workspace, email, address, last + timedelta(seconds=31)) is None
        # The next failure after the lock doubles the delay, and so on.
        sixth = last + timedelta(seconds=31)
        record_attempt(session, workspace, email, address, "bad_password", sixth)
        assert locked_until(session, workspace, email, address, sixth) == sixth + timedelta(seconds=60)
        # Attempts refused while locked are recorded but do not lengthen the lock.
        record_attempt(session, workspace, email, address, "locked", sixth + timedelta(seconds=1))
        assert locked_until(session, workspace, email, address, sixth) == sixth + timedelta(seconds=60)
        # Case and spaces in the email do not make another account.
        assert locked_until(session, f" {workspace} ", "A@ACME.test ", address, sixth) is not None
        ok = sixth + timedelta(seconds=61)
        record_attempt(session, workspace, email, address, "ok", ok)
        assert locked_until(session, workspace, email, "203.0.113.5", ok) is None
        # Failures older than the window are forgotten.
        late = ok + policy.window + timedelta(seconds=1)
        assert locked_until(session, workspace, email, address, late) is None
    assert [int(lock_delay(n, 5, policy).total_seconds()) for n in (5, 6, 7, 8)] == [30, 60, 120, 240]
    assert lock_delay(60, 5, policy) == policy.max_delay


def test_one_address_trying_many_accounts_is_locked(
    web_app: FastAPI, users: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session:
        for i in range(20):
            record_attempt(session, "acme", f"guess{i}@acme.test", "203.0.113.66", "unknown_user", T0)
        assert locked_until(session, "acme", users["viewer"], "203.0.113.66", T0) == T0 + timedelta(
            seconds=30
        )
        assert locked_until(session, "acme", users["viewer"], "203.0.113.67", T0) is None
        session.commit()
    attacker = TestClient(web_app, client=("203.0.113.66", 1))
    codes = [_try(attacker, f"guess{i}@acme.test", "wrong-pass") for i in range(21)]
    assert 429 in codes and codes[-1] == 429
    assert _try(attacker, users["viewer"], PASSWORD) == 429
    assert _try(TestClient(web_app, client=("203.0.113.67", 1)), users["viewer"], PASSWORD) == 303
