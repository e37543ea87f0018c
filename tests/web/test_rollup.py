"""The gap rollup always equals the direct aggregate over interactions, after any kind of new data."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from parallax.store.models import Enrichment
from parallax.web.queries.gap import GapFigures, gap_figures
from parallax.web.rollup import Refresh, refresh, rolled
from parallax.web.sample import SampleSpec, load_sample

EVER = (datetime(2000, 1, 1), datetime(2100, 1, 1))


@pytest.fixture
def session(session_factory: sessionmaker[Session], workspace: str) -> Session:
    with session_factory() as s:
        yield s


def _rolled_total(session: Session, workspace: str, key: str = "") -> dict[str, GapFigures]:
    totals: dict[str, GapFigures] = {}
    for value, _, figures in rolled(session, workspace, *EVER, key=key):
        totals[value] = totals.get(value, GapFigures()) + figures
    return totals


def _direct(session: Session, workspace: str, key: str | None = None) -> dict[str, GapFigures]:
    if key is None:
        return {"": gap_figures(session, workspace, *EVER)[0][1]}
    from parallax.store.models import InteractionSegment

    rows = gap_figures(session, workspace, *EVER, [InteractionSegment.value], segment_key=key)
    return {str(value): figures for (value,), figures in rows}


def _assert_consistent(session: Session, workspace: str) -> None:
    assert _rolled_total(session, workspace) == _direct(session, workspace)
    for key in ("route", "cabin"):
        assert _rolled_total(session, workspace, key) == _direct(session, workspace, key)


def test_rollup_matches_direct_aggregates_through_every_change(session: Session, workspace: str) -> None:
    load_sample(session, workspace, SampleSpec(interactions=600, weeks=3))
    first = refresh(session, workspace)
    assert first.days == 21 and first.rows > 21
    _assert_consistent(session, workspace)
    assert refresh(session, workspace) == Refresh(0, 0)

    load_sample(session, workspace, SampleSpec(interactions=200, weeks=1, seed=9))
    assert 0 < refresh(session, workspace).days <= 7
    _assert_consistent(session, workspace)

    # A new enrichment version relabels some messages: their days are rebuilt.
    old = list(session.scalars(select(Enrichment).where(Enrichment.workspace_id == workspace).limit(30)))
    session.execute(update(Enrichment).where(Enrichment.id.in_([e.id for e in old])).values(current=False))
    session.add_all(
        Enrichment(workspace_id=workspace, interaction_id=e.interaction_id, version="v2", current=True,
                   sentiment_label="positive")
        for e in old
    )  # fmt: skip
    session.flush()
    assert refresh(session, workspace).days > 0
    _assert_consistent(session, workspace)


def test_rollups_stay_in_their_workspace(session: Session, workspace: str) -> None:
    load_sample(session, workspace, SampleSpec(interactions=300, weeks=2))
    load_sample(session, "other", SampleSpec(interactions=100, weeks=2, seed=3))
    refresh(session, workspace)
    refresh(session, "other")
    assert (
        _rolled_total(session, workspace)[""].surveys + _rolled_total(session, workspace)[""].organic == 300
    )
    assert _rolled_total(session, "other") == _direct(session, "other")


def test_follow_up_answers_stay_out_of_the_inside_view(session: Session, workspace: str) -> None:
    """A non-response follow-up's answers correct the survey; the executive figures count the main wave."""
    from parallax.store.interactions import insert_interactions
    from parallax.web.queries.drill import DrillFilter, drill

    at = datetime(2026, 3, 2, 9)

    def answer(n: int, score: float, wave: str) -> dict[str, object]:
        segments = {"route": "AB", "survey_wave": wave, "followed_up": str(wave == "follow_up").lower()}
        return {
            "source": "test", "external_id": f"s{n}", "channel": "survey", "kind": "survey_response",
            "solicited": True, "direction": "inbound", "occurred_at": at, "invited_at": at,
            "score_type": "csat", "score_value": score, "segments": segments,
        }  # fmt: skip

    rows = [answer(n, 5.0, "online") for n in range(6)] + [answer(n, 1.0, "follow_up") for n in range(6, 10)]
    insert_interactions(session, workspace, rows)
    refresh(session, workspace)
    direct = _direct(session, workspace)[""]
    assert (direct.surveys, direct.survey_favourable, direct.csat_n) == (6, 6, 6)
    assert _rolled_total(session, workspace) == {"": direct}
    inside = drill(session, workspace, DrillFilter(side="inside"))
    assert {r.score_value for r in inside} == {5.0} and len(inside) == 6
