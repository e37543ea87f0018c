"""Accessibility basics: palette contrast (WCAG AA), a label for every control, keyboard-only login with a
visible focus ring, one h1 and a language on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import CHROMIUM_ARGS, require_chromium, serve
from fastapi import FastAPI

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.store.workspaces import ensure_workspace
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.sample import SampleSpec, load_sample

CSS = Path(__file__).resolve().parents[2] / "src" / "parallax" / "web" / "static" / "app.css"
# (text, background) pairs the pages actually use.
PAIRS = [
    ("--ink", "--paper"), ("--muted", "--paper"), ("--link", "--paper"), ("--nav-ink", "--nav"),
    ("--ink", "--panel"), ("--muted", "--panel"), ("--link", "--panel"), ("--inside", "--panel"),
    ("--outside", "--panel"), ("--bad", "--panel"), ("--good", "--panel"), ("--bad", "#fff5f5"),
    ("#ffffff", "--link"), ("--focus", "--paper"),
]  # fmt: skip
PAGES = ["/", "/live", "/customers", "/cases", "/settings", "/mirror", "/drill?side=outside"]


def palette() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_palette_meets_wcag_aa(fg: str, bg: str) -> None:
    colours = palette()
    ratio = contrast(colours.get(fg, fg), colours.get(bg, bg))
    assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}:1"


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") < 4.5


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app: FastAPI = create_app(f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'parallax.sqlite'}")
    app.state.web_secret = "a11y-test"
    with session_scope(app.state.session_factory) as session:
        ensure_workspace(session, "demo", "Demo Airline")
        ensure_demo_user(session, "demo")
        load_sample(session, "demo", SampleSpec(interactions=400))
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(site: str) -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        opened = browser.new_page(base_url=site)
        opened.set_default_timeout(60_000)
        yield opened
        browser.close()


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)"""


@pytest.mark.browser
def test_keyboard_only_login_with_visible_focus(page: Any) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.id || document.activeElement.textContent,"
            " getComputedStyle(document.activeElement).outlineStyle]"
        )
        order.append(focused[0])
        assert focused[1] != "none", f"no visible focus ring on {focused[0]}"
    assert order == ["workspace", "email", "password", "Log in"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(DEMO_EMAIL)
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_every_control_is_labelled(page: Any, path: str) -> None:
    if "/login" in page.url or page.url.endswith("about:blank"):
        page.goto("/login")
        page.fill("#workspace", "demo")
        page.fill("#email", DEMO_EMAIL)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
    page.goto(path)
    assert page.evaluate(UNLABELLED) == []
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") == "en"
    charts = page.locator(".chart")
    for index in range(charts.count()):
        assert charts.nth(index).get_attribute("aria-label"), "a chart without a text alternative"
