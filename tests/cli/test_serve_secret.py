"""``parallax serve`` refuses a non-loopback address without PARALLAX_SECRET_KEY and never signs sessions
with a known key; ``parallax demo`` keeps its own random key beside its store."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parallax.api.app import create_app
from parallax.cli.demo_cmd import demo_secret, secret_path
from parallax.cli.main import app
from parallax.kit.signing_key import ENV_VAR

FORGED_WITH = "dev-only-change-me"  # the key every install used to sign sessions with


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what uvicorn would have served instead of serving it."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return calls


def _serve(tmp_path: Path, *args: str) -> Any:
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    return CliRunner().invoke(app, ["serve", "--no-live", "--database-url", url, *args])


def test_serve_off_loopback_without_a_key_refuses_to_start(
    tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    result = _serve(tmp_path, "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert ENV_VAR in result.output and "refusing to serve on 0.0.0.0" in result.output
    assert served == []


def test_serve_off_loopback_with_a_key_signs_with_it(
    tmp_path: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "a-long-random-production-key-42")
    assert _serve(tmp_path, "--host", "0.0.0.0").exit_code == 0
    assert served[0]["host"] == "0.0.0.0"
    assert served[0]["app"].state.web_secret == "a-long-random-production-key-42"


def test_serve_rejects_the_old_known_key(
    tmp_path: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, FORGED_WITH)
    result = _serve(tmp_path)
    assert result.exit_code == 2 and "too weak" in result.output and served == []


def test_loopback_serve_without_a_key_uses_a_random_one(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    assert _serve(tmp_path).exit_code == 0
    secret = served[0]["app"].state.web_secret
    assert served[0]["host"] == "127.0.0.1" and len(secret) >= 32 and secret != FORGED_WITH


def test_an_app_without_a_configured_key_does_not_sign_with_a_known_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    web = create_app(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with TestClient(web) as client:
        assert client.get("/", follow_redirects=False).status_code == 303
    assert web.state.web_secret and web.state.web_secret != FORGED_WITH


def test_demo_keeps_its_key_beside_the_store_and_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    url = f"sqlite:///{tmp_path / 'var' / 'parallax.sqlite'}"
    first = demo_secret(url)
    path = secret_path(url)
    assert path == tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text().strip() == first
    assert demo_secret(url) == first and first != FORGED_WITH
    monkeypatch.setenv(ENV_VAR, "an-operator-chosen-key-0123456789")
    assert demo_secret(url) == "an-operator-chosen-key-0123456789"
