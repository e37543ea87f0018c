"""Helpers shared by the web tests (imported as ``web_helpers``: tests/ is not a package)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def log_in(client: TestClient, email: str, workspace: str = "acme", password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token read from the next page."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"workspace": workspace, "email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)
