"""The driver-level insert stores exactly what the ORM reads back, on both stores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.record import InteractionIn
from parallax.kit.clock import utcnow
from parallax.store.interactions import insert_interactions
from parallax.store.models import Interaction, InteractionSegment


def test_values_round_trip_through_the_orm(session_factory: sessionmaker[Session], workspace: str) -> None:
    record = InteractionIn(
        source="roundtrip",
        external_id="r1",
        channel="whatsapp",
        kind="message",
        occurred_at=datetime(2026, 2, 3, 4, 5, 6, 789012),
        closed_at=datetime(2026, 2, 4, 0, 0, 0, 1),
        solicited=True,
        text="Ça a pris 3h 😡 — «inacceptable»",
        score_type="ces",
        score_value=6.5,
        segments={"airport": "CDG", "note": "ünïcode ✓"},
        raw={"nested": {"list": [1, 2.5, None, "x"]}, "flag": False},
    ).model_dump()
    before = utcnow().replace(microsecond=0)
    with session_factory() as session:
        result = insert_interactions(session, workspace, [record])
        session.commit()
    with session_factory() as session:
        stored = session.scalars(select(Interaction).where(Interaction.id == result.inserted_ids[0])).one()
        segments = dict(
            session.execute(
                select(InteractionSegment.key, InteractionSegment.value).where(
                    InteractionSegment.interaction_id == stored.id
                )
            ).all()
        )
    assert stored.occurred_at == datetime(2026, 2, 3, 4, 5, 6, 789012)
    assert stored.closed_at == datetime(2026, 2, 4, 0, 0, 0, 1)
    assert stored.received_at >= before
    assert (stored.solicited, stored.score_type, stored.score_value) == (True, "ces", 6.5)
    assert stored.text == "Ça a pris 3h 😡 — «inacceptable»"
    assert stored.segments == {"airport": "CDG", "note": "ünïcode ✓"} == segments
    assert stored.raw == {"nested": {"list": [1, 2.5, None, "x"]}, "flag": False}
    assert (stored.workspace_id, stored.customer_id, stored.direction) == (workspace, None, "inbound")
