from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from identity_factories import insert, interaction
from sqlalchemy.orm import Session, sessionmaker

from parallax.api.app import create_app
from parallax.identity.cases_sync import sync_cases
from parallax.identity.resolve import link_unattached
from parallax.store.workspaces import create_api_key

NOW = datetime(2026, 3, 2)


def _world(session_factory: sessionmaker[Session], workspace: str) -> dict[str, object]:
    """Two Acme customers (Ann on email + chat, Bob), one Other customer; a key per workspace."""
    with session_factory() as session:
        insert(
            session,
            workspace,
            interaction("1", author_email="ann@x.org", author_name="Ann Lee"),
            interaction("2", 1, channel="chat", author_email="ann@x.org"),
            interaction("3", 2, channel="twitter", kind="post", author_handle="@bob"),
        )
        insert(session, "other", interaction("1", author_email="zed@z.org"))
        link_unattached(session, workspace, NOW)
        link_unattached(session, "other", NOW)
        sync_cases(session, workspace)
        sync_cases(session, "other")
        keys = {
            "acme": create_api_key(session, workspace, "t"),
            "other": create_api_key(session, "other", "t"),
        }
        session.commit()
    return keys


def _h(key: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_profiles_merge_unmerge_through_the_api(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    keys = _world(session_factory, workspace)
    with TestClient(create_app(db_url)) as client:
        page = client.get("/v1/customers", headers=_h(keys["acme"])).json()
        ann, bob = page["items"]
        assert (ann["display_name"], ann["interactions"]) == ("Ann L.", 2)
        profile = client.get(f"/v1/customers/{ann['id']}", headers=_h(keys["acme"])).json()
        assert profile["channels"] == {"email": 1, "chat": 1}
        idents = client.get(f"/v1/customers/{ann['id']}/identifiers", headers=_h(keys["acme"])).json()
        assert [i["kind"] for i in idents] == ["email"] and "ann@x.org" not in idents[0]["display"]
        merged = client.post(
            "/v1/customers/merge",
            json={"source_id": bob["id"], "target_id": ann["id"], "reason": "same person", "actor": "kim"},
            headers=_h(keys["acme"]),
        )
        assert merged.status_code == 200 and merged.json()["actor"] == "kim"
        assert client.get(f"/v1/customers/{bob['id']}", headers=_h(keys["acme"])).json()["id"] == ann["id"]
        cases = client.get(f"/v1/cases?customer_id={ann['id']}", headers=_h(keys["acme"])).json()
        assert len(cases) == 2
        undone = client.post(
            f"/v1/customers/{bob['id']}/unmerge", json={"reason": "not the same"}, headers=_h(keys["acme"])
        )
        assert undone.status_code == 200 and undone.json()["action"] == "unmerge"
        assert len(client.get("/v1/customers", headers=_h(keys["acme"])).json()["items"]) == 2
        again = client.post(
            f"/v1/customers/{bob['id']}/unmerge", json={"reason": "x"}, headers=_h(keys["acme"])
        )
        assert again.status_code == 422


def test_no_customer_of_one_workspace_is_visible_from_another(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    keys = _world(session_factory, workspace)
    with TestClient(create_app(db_url)) as client:
        acme_ids = [c["id"] for c in client.get("/v1/customers", headers=_h(keys["acme"])).json()["items"]]
        other_page = client.get("/v1/customers", headers=_h(keys["other"])).json()["items"]
        assert len(other_page) == 1 and other_page[0]["id"] not in acme_ids
        for customer_id in acme_ids:
            for path in ("", "/identifiers", "/cases"):
                response = client.get(f"/v1/customers/{customer_id}{path}", headers=_h(keys["other"]))
                assert response.status_code == 404, path
            theirs = client.get(f"/v1/cases?customer_id={customer_id}", headers=_h(keys["other"]))
            assert theirs.status_code == 404
        merge = client.post(
            "/v1/customers/merge",
            json={"source_id": acme_ids[0], "target_id": other_page[0]["id"], "reason": "x"},
            headers=_h(keys["other"]),
        )
        assert merge.status_code == 404
        assert len(client.get("/v1/cases", headers=_h(keys["other"])).json()) == 1
        assert client.get("/v1/customers").status_code == 401
