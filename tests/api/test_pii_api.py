"""The API shows texts only through the redaction policy (the REDACTED audience: every kind a token)."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from parallax.api.app import create_app
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.interactions import insert_interactions
from parallax.store.workspaces import create_api_key, ensure_workspace

TEXT = "my name is Sarah Connor, mi móvil 612 34 56 78, IBAN GB82 WEST 1234 5698 7654 32, booking ref QX7K2P"


def test_interactions_come_back_redacted(db_url: str) -> None:
    with session_scope(make_sessionmaker(make_engine(db_url))) as session:
        ensure_workspace(session, "acme")
        key = create_api_key(session, "acme", "t")
        row = {
            "source": "t", "external_id": "1", "channel": "email", "kind": "message", "solicited": False,
            "direction": "inbound", "occurred_at": datetime(2026, 3, 1, 9), "text": TEXT, "segments": {},
            "raw": {},
        }  # fmt: skip
        insert_interactions(session, "acme", [row])
    with TestClient(create_app(db_url)) as client:
        body = client.get("/v1/interactions", headers={"X-API-Key": key}).json()
    texts = [item["text"] for item in body["items"]]
    assert texts == ["my name is [NAME], mi móvil [PHONE], IBAN [IBAN], booking ref [BOOKING]"]
