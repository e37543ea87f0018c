"""The pages run in Debian's chromium under the app's Content-Security-Policy: every main page (charts
drawn, live feed connected) and the offline API docs render, and the browser reports no CSP violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import CHROMIUM_ARGS, require_chromium, serve
from fastapi import FastAPI

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.store.workspaces import ensure_workspace
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.sample import SampleSpec, load_sample

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts; a devtools init script is not subject to the page's CSP.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""
# ReDoc's sidebar always shows Redocly's logo from their CDN: the CSP blocks it (no outside request is made,
# the link text stays), which is the one violation the docs page is expected to report.
REDOCLY_LOGO = "https://cdn.redoc.ly/"
# Each page and what shows that its scripts ran.
PAGES = [
    ("/", "#trend-chart .main-svg"),
    ("/drill?side=outside", "table.drill tbody tr"),
    ("/cases", "table.data tbody tr"),
    ("/live", "text=Connected"),
    ("/customers", "table.data tbody a"),
    ("/settings", "#users"),
    ("/mirror", "#mirror-chart .main-svg"),
    ("/docs", ".swagger-ui .info .title"),
    ("/redoc", "h1:has-text('Parallax')"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app: FastAPI = create_app(f"sqlite:///{tmp_path_factory.mktemp('csp') / 'parallax.sqlite'}")
    app.state.web_secret = "csp-browser-test"
    with session_scope(app.state.session_factory) as session:
        ensure_workspace(session, "demo", "Demo Airline")
        ensure_demo_user(session, "demo")
        load_sample(session, "demo", SampleSpec(interactions=600))
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(site: str) -> Iterator[tuple[Any, list[str]]]:
    """A logged-in page, and the console's CSP reports (kept apart from the in-page record)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_VIOLATIONS)
        opened = context.new_page()
        opened.set_default_timeout(60_000)
        console: list[str] = []
        opened.on(
            "console",
            lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        opened.goto("/login")
        assert not _violations(opened, console)
        opened.get_by_label("Workspace").fill("demo")
        opened.get_by_label("Email").fill(DEMO_EMAIL)
        opened.get_by_label("Password").fill(DEMO_PASSWORD)
        opened.get_by_role("button", name="Log in").click()
        opened.wait_for_url(re.compile(r"/$"))
        yield opened, console
        browser.close()


def _violations(page: Any, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *console]


@pytest.mark.parametrize(("path", "ready"), PAGES, ids=[p for p, _ in PAGES])
def test_page_runs_under_the_csp(page: tuple[Any, list[str]], path: str, ready: str) -> None:
    opened, console = page
    console.clear()
    response = opened.goto(path)
    assert response is not None and response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    opened.wait_for_selector(ready)
    opened.wait_for_load_state("networkidle") if path != "/live" else opened.wait_for_timeout(1500)
    found = [v for v in _violations(opened, console) if not (path == "/redoc" and REDOCLY_LOGO in v)]
    assert found == [], "\n".join(found)


def test_a_confirm_button_still_asks_under_the_csp(page: tuple[Any, list[str]]) -> None:
    """Confirmations are script listeners (app.js), not inline handlers: dismissing one cancels the post."""
    opened, console = page
    console.clear()
    opened.goto("/settings")
    opened.get_by_label("Key name").fill("csp-check")
    opened.get_by_role("button", name="Create key").click()
    opened.wait_for_selector("#new-key")
    asked: list[str] = []
    opened.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    opened.get_by_role("button", name="Revoke").first.click()
    assert asked and asked[0].startswith("Revoke key")
    assert "revoked" not in opened.inner_text("#keys")
    assert _violations(opened, console) == [], "\n".join(_violations(opened, console))
