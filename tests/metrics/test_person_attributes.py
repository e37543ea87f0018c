"""Person attributes (loyalty tier) for organic voices, once identity resolution links them (SQLite and
PostgreSQL): a tweet carries no tier, its author's survey answer does; after linking, the tweet counts under
that tier, on the direct queries and on the roll-up alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from parallax.identity.resolve import link_unattached
from parallax.metrics.board import compute_board
from parallax.metrics.declarations import UNKNOWN, Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.rollup_service import board, refresh, rolled_cells
from parallax.store.models import Customer

from .factories import T0, insert, post, survey

TIER = Scope("acme", "loyalty_tier", "all")


def _world() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Two gold and one silver member answer a survey; each also writes two messages with no tier."""
    rows, labels = [], {}
    people = (("ana@x.org", "gold"), ("bo@x.org", "gold"), ("cy@x.org", "silver"))
    for k, (email, tier) in enumerate(people):
        answer = survey(f"{k}", 2.0, "A", email=email)
        answer["segments"] = {"route": "A", "loyalty_tier": tier}
        rows.append(answer)
        for j in range(2):
            at = T0 + timedelta(days=1 + j, hours=k)
            rows.append(post(f"{k}-{j}", "A", at=at, email=email) | {"kind": "message", "channel": "chat"})
            labels[f"p{k}-{j}"] = "negative" if j == 0 else "positive"
    rows.append(post("stranger", "A", at=T0 + timedelta(days=2), email="who@y.org"))
    labels["pstranger"] = "negative"
    return rows, labels


def _voice_by_tier(session: Session, from_rollup: bool = False) -> dict[str, tuple[int, int]]:
    result = board(session, TIER) if from_rollup else compute_board(StoreEngine(session), TIER)
    assert result.engine.endswith("roll-up") == from_rollup
    return {s.segment: (s.voice, s.voice_negative) for s in result.stats}


def test_linked_voices_count_under_their_customers_tier(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        rows, labels = _world()
        insert(session, workspace, rows, labels)
        before = _voice_by_tier(session)
        assert before[UNKNOWN] == (7, 4)  # nobody linked: every message is tierless
        assert before["gold"] == (0, 0)

        link_unattached(session, workspace, T0 + timedelta(days=5))
        after = _voice_by_tier(session)
        assert after["gold"] == (4, 2)
        assert after["silver"] == (2, 1)
        assert after[UNKNOWN] == (1, 1)  # the stranger's post: linked to a new customer with no tier


def test_the_rollup_follows_links_and_tier_changes(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        rows, labels = _world()
        insert(session, workspace, rows, labels)
        refresh(session, workspace)
        assert _voice_by_tier(session, from_rollup=True)[UNKNOWN] == (7, 4)

        link_unattached(session, workspace, T0 + timedelta(days=5))
        assert rolled_cells(session, TIER) is None  # linked since: the records may be behind
        assert set(refresh(session, workspace).rebuilt.values()) == {None}
        assert _voice_by_tier(session, from_rollup=True) == _voice_by_tier(session)
        assert _voice_by_tier(session, from_rollup=True)["gold"] == (4, 2)

        # cy is upgraded in place: no new row, no new link, yet cy's past messages change tier
        cy = session.execute(
            update(Customer)
            .where(Customer.loyalty_tier == "silver")
            .values(loyalty_tier="gold", updated_at=T0 + timedelta(days=9))
            .returning(Customer.id)
        ).scalar_one()
        assert cy
        assert rolled_cells(session, TIER) is None
        refresh(session, workspace)
        rolled = _voice_by_tier(session, from_rollup=True)
        assert rolled == _voice_by_tier(session)
        # cy's survey row keeps the tier it recorded at the time; the messages follow the customer
        assert rolled["gold"] == (6, 3)
        assert "silver" in rolled and rolled["silver"] == (0, 0)
