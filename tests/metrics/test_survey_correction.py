"""One survey correction for the page, the API and the report: an explicit empty state, kept per data
version (a second call reuses it; an ingest, an enrichment or an identity link computes it afresh)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from parallax.api.app import create_app
from parallax.identity.repository import new_customer
from parallax.kit.clock import utcnow
from parallax.metrics import survey_correction as sc
from parallax.store.interactions import insert_interactions
from parallax.store.models import Interaction
from parallax.store.workspaces import create_api_key

from .factories import insert, post, survey


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    sc.clear()
    yield
    sc.clear()


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The workspaces the correction was actually computed for, call by call."""
    calls: list[str] = []
    real = sc.compute

    def counting(session: Session, workspace_id: str, version: sc.Version = ()) -> sc.SurveyCorrection:
        calls.append(workspace_id)
        return real(session, workspace_id, version)

    monkeypatch.setattr(sc, "compute", counting)
    return calls


def _surveys(n: int, start: int = 0) -> list[dict[str, object]]:
    return [
        survey(f"{k}", None if k % 3 == 0 else 1 + k % 5, "AB"[k % 2], email=f"p{k}@x.org")
        for k in range(start, start + n)
    ]


def test_a_new_workspace_has_no_survey_answers_yet(
    session_factory: sessionmaker[Session], workspace: str, db_url: str
) -> None:
    with session_factory() as session:
        found = sc.survey_correction(session, workspace)
        key = create_api_key(session, workspace, "test")
        session.commit()
    assert found.state == sc.NO_SURVEYS and found.bias.csat is None and found.bias.nps is None
    assert "no survey answers yet" in found.bias.note
    with TestClient(create_app(db_url, migrate=False)) as client:
        response = client.get("/v1/metrics/survey-bias", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["state"] == "no_survey_answers" and body["csat"] is None and body["nps"] is None


def test_too_few_answers_say_why(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        insert_interactions(session, workspace, _surveys(6))
        found = sc.survey_correction(session, workspace)
    assert found.state == sc.NOT_ENOUGH and "need at least" in found.bias.note


def test_kept_per_data_version_and_recomputed_after_a_change(
    session_factory: sessionmaker[Session], workspace: str, computed: list[str]
) -> None:
    with session_factory() as session:
        insert(session, workspace, [*_surveys(40), post("1", "A", email="p1@x.org")], {"p1": "negative"})
        session.commit()
        first = sc.survey_correction(session, workspace)
        again = sc.survey_correction(session, workspace)
        assert first.state == sc.CORRECTED and again is first and computed == [workspace]
        # a new survey answer: another data version, computed afresh, and the new answer counts
        insert_interactions(session, workspace, _surveys(3, start=40))
        session.commit()
        grown = sc.survey_correction(session, workspace)
        assert len(computed) == 2 and grown.version != first.version
        assert grown.bias.csat is not None and first.bias.csat is not None
        assert grown.bias.csat.invited == first.bias.csat.invited + 3
        # identity resolution links an answer to a customer in place: that is a new version too
        customer = new_customer(session, workspace, utcnow())
        session.execute(
            update(Interaction).where(Interaction.external_id == "s1").values(customer_id=customer.id)
        )
        session.commit()
        sc.survey_correction(session, workspace)
        assert len(computed) == 3


def test_another_workspace_is_kept_apart(
    session_factory: sessionmaker[Session], workspace: str, computed: list[str]
) -> None:
    with session_factory() as session:
        insert_interactions(session, workspace, _surveys(40))
        session.commit()
        ours = sc.survey_correction(session, workspace)
        theirs = sc.survey_correction(session, "other")
    assert ours.state == sc.CORRECTED and theirs.state == sc.NO_SURVEYS
    assert computed == [workspace, "other"]
