"""In Debian's chromium: the survey page over a world with a non-response follow-up shows how each figure
was corrected. Its own site (the shared browser site has no invitations, so nothing to correct there)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import ARTIFACTS, CHROMIUM_ARGS, check_screenshot, require_chromium, serve
from survey_world import survey_world

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.store.interactions import insert_interactions
from parallax.store.workspaces import ensure_workspace
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.queries import survey as survey_queries

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('survey-browser') / 'parallax.sqlite'}")
    app.state.web_secret = "browser-test"
    with session_scope(app.state.session_factory) as session:
        ensure_workspace(session, "demo", "Demo Airline")
        ensure_demo_user(session, "demo")
        insert_interactions(session, "demo", survey_world())
    survey_queries.clear()  # keyed by workspace and data marks, which another test's store can share
    with serve(app) as url:
        yield url


@pytest.fixture
def page(site: str) -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
        opened = context.new_page()
        opened.set_default_timeout(60_000)
        yield opened
        browser.close()


def test_survey_page_says_how_each_figure_was_corrected(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Workspace").fill("demo")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Survey correction").click()
    page.wait_for_url(re.compile(r"/survey$"))
    how = page.get_by_role("table", name="How each figure was corrected")
    assert how.is_visible()
    rows = {r.split("\t", 1)[0]: r for r in how.locator("tbody tr").all_inner_texts()}
    assert set(rows) == {"CSAT % satisfied", "NPS"}
    assert "two-phase (non-response follow-up)" in rows["NPS"] and "5 points lower" in rows["NPS"]
    assert "points below similar online answers" in rows["CSAT % satisfied"]
    assert "points above similar online answers" in rows["NPS"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "10-survey.png"
    page.screenshot(path=str(path), full_page=True)
    check_screenshot(path)
