"""Every figure is served as JSON, behind a key, for the caller's workspace only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from parallax.api.app import create_app
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.workspaces import create_api_key, ensure_workspace

from .factories import insert, post, survey, ticket


def _client_with_data(db_url: str) -> tuple[TestClient, str]:
    factory = make_sessionmaker(make_engine(db_url))
    with session_scope(factory) as session:
        ensure_workspace(session, "acme")
        key = create_api_key(session, "acme", "test")
        rows = [
            survey(f"{k}", None if k % 3 == 0 else 1 + k % 5, "AB"[k % 2], email=f"p{k}@x.org")
            for k in range(40)
        ]
        rows += [post(f"{k}", "A") for k in range(5)] + [ticket("1", "A", close_hours=5)]
        insert(session, "acme", rows, {f"p{k}": "negative" for k in range(5)})
    return TestClient(create_app(db_url)), key


def test_metrics_endpoints(db_url: str) -> None:
    client, key = _client_with_data(db_url)
    headers = {"Authorization": f"Bearer {key}"}
    with client:
        assert client.get("/v1/metrics/overview").status_code == 401
        overview = client.get("/v1/metrics/overview", headers=headers).json()
        segments = client.get("/v1/metrics/segments?attribute=route&period=week", headers=headers).json()
        bad_period = client.get("/v1/metrics/segments?attribute=route&period=year", headers=headers)
        bias = client.get("/v1/metrics/survey-bias?samples=10", headers=headers).json()
        hidden = client.get("/v1/metrics/hidden-failures?attributes=route", headers=headers).json()
        timing = client.get("/v1/metrics/survey-timing", headers=headers).json()
        questionnaire = client.get("/v1/metrics/mirror/questionnaire", headers=headers).json()
        answers = [
            {"respondent": f"{r}{k}", "role": role, "item": "privacy_1", "score": s}
            for k in range(5)
            for r, role, s in (("c", "customer", 2), ("e", "employee", 4 + k % 2))
        ]
        mirror = client.post("/v1/metrics/mirror", json={"answers": answers}, headers=headers).json()
    cell = overview["cells"][0]
    assert cell["inside"]["invites"] == 40 and cell["inside"]["responses"] == 26
    assert cell["outside"]["voice"] == 5 and cell["outside"]["negative_share_pct"] == 100.0
    assert {c["segment"] for c in segments["cells"]} == {"A", "B"}
    assert bad_period.status_code == 422 and bad_period.json()["error"] == "validation_failed"
    assert bias["csat"]["invited"] == 40 and bias["csat"]["responded"] == 26
    # how the figure was corrected travels with it: method, assumption, band at k = 5 and 10 points
    assert bias["csat"]["method"] == "aipw" and "at random given the records" in bias["csat"]["assumption"]
    band = bias["csat"]["sensitivity"]
    assert [k for k, _ in band] == [5.0, 10.0] and band[1][1] <= band[0][1] <= bias["csat"]["corrected"]
    assert bias["csat"]["nonrespondent_gap"] is None and bias["csat"]["corrected_ci_with_gap"] is None
    assert hidden["failures"] == []
    assert timing["answers"] == 0
    assert set(questionnaire["dimensions"]) >= {"privacy", "omnichannel_consistency"}
    assert mirror["gaps"][0]["dimension"] == "privacy" and mirror["gaps"][0]["gap"] == 2.4
