from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.record import InteractionIn
from parallax.store.interactions import InteractionFilter, insert_interactions, list_interactions
from parallax.store.models import Interaction, InteractionSegment


def _row(external_id: str, **extra: object) -> dict[str, object]:
    record = InteractionIn(
        source="test",
        external_id=external_id,
        channel="twitter",
        kind="post",
        occurred_at=datetime(2026, 1, 1, 12, 0),
        text="my bag is lost",
        segments={"route": "JFK-LAX", "tier": "gold"},
        **extra,  # type: ignore[arg-type]
    )
    return record.model_dump()


def test_insert_is_idempotent(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        first = insert_interactions(session, workspace, [_row("1"), _row("2"), _row("2")])
        session.commit()
        again = insert_interactions(session, workspace, [_row("1"), _row("3")])
        session.commit()
        assert (first.inserted, first.duplicates) == (2, 1)
        assert (again.inserted, again.duplicates) == (1, 1)
        assert session.scalar(select(func.count()).select_from(Interaction)) == 3
        assert session.scalar(select(func.count()).select_from(InteractionSegment)) == 6


def test_same_external_id_in_two_workspaces_is_two_rows(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        insert_interactions(session, "acme", [_row("1")])
        insert_interactions(session, "other", [_row("1")])
        session.commit()
        acme = list_interactions(session, "acme", InteractionFilter(), None, 10)
        other = list_interactions(session, "other", InteractionFilter(), None, 10)
        assert len(acme) == len(other) == 1
        assert acme[0].id != other[0].id


def test_list_filters_and_cursor(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        rows = [_row(str(i)) for i in range(5)]
        rows.append({**_row("survey"), "kind": "survey_response", "solicited": True, "channel": "survey"})
        insert_interactions(session, workspace, rows)
        session.commit()
        page1 = list_interactions(session, workspace, InteractionFilter(solicited=False), None, 3)
        page2 = list_interactions(session, workspace, InteractionFilter(solicited=False), page1[-1].id, 3)
        assert len(page1) == 3 and len(page2) == 2
        assert not {r.id for r in page1} & {r.id for r in page2}
        by_segment = list_interactions(
            session, workspace, InteractionFilter(segment_key="route", segment_value="JFK-LAX"), None, 10
        )
        assert len(by_segment) == 6
