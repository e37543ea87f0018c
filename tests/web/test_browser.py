"""End to end in Debian's chromium: log in, read the executive view, drill down, work a case, watch a live
alert arrive, and visit every page. Screenshots land in test-artifacts/web/ and are checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import ARTIFACTS, CHROMIUM_ARGS, check_screenshot, require_chromium, serve
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from parallax.api.app import create_app
from parallax.cases.outbound import FakeAdapter, Outbound
from parallax.kit.db import session_scope
from parallax.store.models import Alert
from parallax.store.workspaces import ensure_workspace
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.sample import HIDDEN_ROUTES, SampleSpec, load_sample

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI]]:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'parallax.sqlite'}")
    app.state.web_secret = "browser-test"
    app.state.outbound = Outbound({"*": FakeAdapter()})
    with session_scope(app.state.session_factory) as session:
        ensure_workspace(session, "demo", "Demo Airline")
        ensure_demo_user(session, "demo")
        load_sample(session, "demo", SampleSpec(interactions=1500))
    with serve(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, site: tuple[str, FastAPI]) -> Iterator[Any]:
    context = browser.new_context(base_url=site[0], viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    check_screenshot(path)
    return path


def log_in(page: Any) -> None:
    page.goto("/")
    assert "/login" in page.url
    page.get_by_label("Workspace").fill("demo")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    shot(page, "01-login")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def test_executive_view_and_drill_down(page: Any) -> None:
    log_in(page)
    assert page.get_by_role("heading", name="What the dashboard says vs what customers say").is_visible()
    big = page.locator(".card .big").all_inner_texts()
    assert len(big) == 3 and all(re.search(r"\d", value) for value in big)
    page.wait_for_selector("#trend-chart .main-svg")
    page.wait_for_selector("#heatmap-chart .main-svg")
    shot(page, "02-executive")
    hidden = page.locator("section:has(#hidden-h) tbody th").all_inner_texts()
    assert {row.split(" = ")[1] for row in hidden[:2]} == set(HIDDEN_ROUTES)
    page.locator("section:has(#hidden-h) tbody tr").first.locator("td a").nth(3).click()
    page.wait_for_url(re.compile(r"/drill\?"))
    assert "where route = " in page.inner_text("main")
    assert page.locator("table.drill tbody tr").count() > 10
    shot(page, "03-drill")


def test_open_a_case_reply_and_change_status(page: Any, site: tuple[str, FastAPI]) -> None:
    log_in(page)
    page.get_by_role("link", name="Cases").click()
    page.wait_for_url(re.compile(r"/cases"))
    shot(page, "04-inbox")
    page.locator("table.data tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/cases/\d+"))
    page.get_by_label("Reply to the customer").fill("We are sorry: your rebooking is confirmed.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_selector("text=Reply sent.")
    page.get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_selector("text=Status changed.")
    main = page.inner_text("main")
    assert "moved it from open to resolved" in main and "We are sorry: your rebooking is confirmed." in main
    sent = site[1].state.outbound.adapter_for("email").sent
    assert sent and sent[-1].body == "We are sorry: your rebooking is confirmed."
    shot(page, "05-case")


def test_live_alert_arrives(page: Any, site: tuple[str, FastAPI]) -> None:
    log_in(page)
    page.get_by_role("link", name="Live").click()
    page.wait_for_selector("text=Connected")
    factory: sessionmaker[Session] = site[1].state.session_factory
    now = datetime(2026, 3, 2, 12)
    with session_scope(factory) as session:
        session.add(
            Alert(workspace_id="demo", rule="spike", key="topic:baggage", severity="critical", status="open",
                  title="Baggage complaints spiking at LHR", started_at=now, last_seen_at=now, count=9,
                  detail={"latest": {"topic": "baggage", "segment": {"airport": "LHR"}}})
        )  # fmt: skip
    page.wait_for_selector("#alerts li:has-text('Baggage complaints spiking at LHR')")
    assert "topic=baggage, airport=LHR" in page.inner_text("#alerts")
    shot(page, "06-live")


def test_every_page_renders(page: Any) -> None:
    log_in(page)
    page.goto("/customers")
    page.locator("table.data tbody a").first.click()
    page.wait_for_url(re.compile(r"/customers/\d+"))
    assert "History across channels" in page.inner_text("main")
    shot(page, "07-customer")
    page.goto("/settings")
    assert "Routing rules" in page.inner_text("main")
    shot(page, "08-settings")
    page.goto("/mirror")
    page.wait_for_selector("#mirror-chart .main-svg")
    assert "employees overestimate" in page.inner_text("main")
    shot(page, "09-mirror")
