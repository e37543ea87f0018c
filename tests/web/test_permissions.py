"""The role table and its enforcement on every kind of route."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from parallax.web.auth.permissions import ROLES, Permission, allowed

EXPECTED = {
    "admin": set(Permission),
    "analyst": {Permission.VIEW, Permission.DRILL, Permission.EDIT_RULES},
    "agent": {Permission.VIEW, Permission.DRILL, Permission.SEE_PII, Permission.WORK_CASES, Permission.REPLY},
    "viewer": {Permission.VIEW},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_table(role: str) -> None:
    assert set(ROLES[role]) == EXPECTED[role]
    assert {p for p in Permission if allowed(role, p)} == EXPECTED[role]


def test_unknown_role_may_do_nothing() -> None:
    assert not any(allowed("intern", p) for p in Permission)


# (method, path, form) → roles allowed; everyone else must get 403.
ROUTES = [
    ("GET", "/drill?side=inside", {}, {"admin", "analyst", "agent"}),
    ("POST", "/cases/route", {}, {"admin", "agent"}),
    ("POST", "/settings/routing", {"name": "r", "queue": "q"}, {"admin", "analyst"}),
    ("POST", "/settings/keys", {"name": "k"}, {"admin"}),
    ("POST", "/settings/workspace", {"name": "Acme"}, {"admin"}),
]


@pytest.mark.parametrize(("method", "path", "form", "roles"), ROUTES)
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_routes_enforce_roles(
    client_for: Callable[[str], tuple[TestClient, str]],
    role: str,
    method: str,
    path: str,
    form: dict[str, str],
    roles: set[str],
) -> None:
    client, token = client_for(role)
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    assert (response.status_code != 403) == (role in roles), response.text[:300]
    assert response.status_code < 500
