"""Security headers on every response (pages, API, static files, errors, redirects), and templates that
need no inline script so the CSP can forbid it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.api.app import create_app
from parallax.web.plotly_csp import csp_hash

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "parallax" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('headers') / 'p.sqlite'}")
    return TestClient(app)


def directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/health", 200),
        ("/v1/interactions", 401),
        ("/v1/nothing", 404),
        ("/login", 200),
        ("/", 303),
        ("/static/app.js", 200),
        ("/openapi.json", 200),
        ("/docs", 200),
        ("/redoc", 200),
    ],
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str, status: int) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == status
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin")
    csp = directives(response.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["default-src"]


def test_pages_allow_only_hashed_style_elements(client: TestClient) -> None:
    """No inline <style> but the exact sheets plotly adds (by hash); plotly's style attributes are allowed."""
    csp = directives(client.get("/login").headers["content-security-policy"])
    assert csp["style-src"][0] == "'self'" and len(csp["style-src"]) >= 2
    assert all(s.startswith("'sha256-") for s in csp["style-src"][1:])
    assert csp_hash("") in csp["style-src"]
    assert csp["style-src-attr"] == ["'unsafe-inline'"]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_have_no_inline_script_or_handler(template: str) -> None:
    html = (TEMPLATES / template).read_text()
    for attributes in SCRIPT_TAG.findall(html):
        # A script element runs only from a file; JSON data blocks are not executed.
        assert "src=" in attributes or 'type="application/json"' in attributes, (template, attributes)
    assert not EVENT_ATTR.search(html), template
    assert "javascript:" not in html.lower() and "style=" not in html and "<style" not in html


def test_own_scripts_do_not_eval() -> None:
    for script in STATIC.glob("*.js"):
        text = script.read_text()
        assert "eval(" not in text and "new Function" not in text, script.name
