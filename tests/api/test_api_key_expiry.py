"""API keys can expire: an expired key is refused with 401 and a detail that says so; ``parallax init``
can make a key that expires."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from parallax.api.app import create_app
from parallax.cli.main import app as cli
from parallax.kit.clock import utcnow
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.models import ApiKey
from parallax.store.workspaces import create_api_key, ensure_workspace, workspace_for_key


def test_expired_key_is_refused_with_a_clear_detail(db_url: str) -> None:
    web = create_app(db_url)
    now = utcnow()
    with session_scope(make_sessionmaker(make_engine(db_url))) as session:
        ensure_workspace(session, "acme")
        expired = create_api_key(session, "acme", "old", expires_at=now - timedelta(minutes=1))
        valid = create_api_key(session, "acme", "new", expires_at=now + timedelta(days=1))
        forever = create_api_key(session, "acme", "forever")
        assert workspace_for_key(session, expired) is None
        assert workspace_for_key(session, valid) == "acme" and workspace_for_key(session, forever) == "acme"
        assert workspace_for_key(session, valid, now=now + timedelta(days=2)) is None
    with TestClient(web) as client:
        refused = client.get("/v1/interactions", headers={"Authorization": f"Bearer {expired}"})
        assert refused.status_code == 401
        body = refused.json()
        assert (
            body["error"] == "unauthorized" and "expired" in body["detail"] and expired not in body["detail"]
        )
        for key in (valid, forever):
            assert client.get("/v1/interactions", headers={"X-API-Key": key}).status_code == 200
        unknown = client.get("/v1/interactions", headers={"X-API-Key": "plx_nope"})
        assert unknown.status_code == 401 and unknown.json()["detail"] == "unknown or revoked API key"


def test_init_makes_a_key_that_expires(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    result = CliRunner().invoke(
        cli, ["init", "--workspace", "air", "--key-expires-days", "30", "--database-url", url]
    )
    assert result.exit_code == 0, result.output
    assert "valid until" in result.output
    with make_sessionmaker(make_engine(url))() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.workspace_id == "air"))
    assert key is not None and key.expires_at is not None
    assert abs(key.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)
    plain = CliRunner().invoke(cli, ["init", "--workspace", "sea", "--database-url", url])
    assert plain.exit_code == 0 and "valid until" not in plain.output
