"""Login, sessions, CSRF and workspace isolation through the real app."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, csrf_of, log_in

from parallax.web.auth.passwords import hash_password, verify_password
from parallax.web.auth.sessions import SESSION_COOKIE, decode_session, encode_session


def test_argon2_hash_verifies_and_is_salted() -> None:
    first, second = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "s3cret-pass")
    assert not verify_password(first, "wrong-pass")
    assert not verify_password("not-a-hash", "s3cret-pass")


def test_session_cookie_rejects_tampering() -> None:
    cookie = encode_session("k1", "session-id")
    assert decode_session("k1", cookie) == "session-id"
    assert decode_session("k2", cookie) is None
    assert decode_session("k1", cookie[:-2] + "xx") is None
    assert decode_session("k1", None) is None


def test_pages_redirect_to_login_without_session(web_app: FastAPI) -> None:
    response = TestClient(web_app).get("/drill?side=inside", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/drill%3Fside%3Dinside"


def test_login_with_wrong_password_is_refused(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"workspace": "acme", "email": users["admin"], "password": "nope-nope", "csrf_token": token},
    )
    assert response.status_code == 401
    assert "Unknown workspace, email or password" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_login_without_csrf_token_is_refused(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    client.get("/login")
    response = client.post(
        "/login",
        data={"workspace": "acme", "email": users["admin"], "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_login_then_logout(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    token = log_in(client, users["viewer"])
    assert client.get("/", follow_redirects=False).status_code == 200
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_open_redirect_after_login_is_neutralised(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    token = csrf_of(client.get("/login?next=//evil.example").text)
    response = client.post(
        "/login",
        data={
            "workspace": "acme",
            "email": users["admin"],
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_user_of_one_workspace_cannot_log_in_to_another(web_app: FastAPI, users: dict[str, str]) -> None:
    client = TestClient(web_app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"workspace": "other", "email": users["admin"], "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 401


def test_each_workspace_sees_only_its_data(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None, web_app: FastAPI
) -> None:
    acme, _ = client_for("admin")
    assert "CDG-ORD" in acme.get("/").text
    other = TestClient(web_app)
    log_in(other, "admin@other.test", workspace="other")
    page = other.get("/").text
    assert "No interactions in workspace" in page and "CDG-ORD" not in page
