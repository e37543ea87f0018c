"""The roll-up path against the direct queries on the same data (SQLite and PostgreSQL).

Counts and means must be identical; medians may differ by the histogram's half-bin (0.5%). The world spans
three weeks, with invitations answered on a later day, people seen on several days, tickets followed up
across days and a late negative post that changes an earlier ticket's flags.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from parallax.metrics.board import Board, compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.rollup_service import board, refresh, rolled_cells
from parallax.store.models import Interaction

from .factories import T0, insert, post, survey, ticket

SCOPES = (
    Scope("acme", None, "all"),
    Scope("acme", None, "day"),
    Scope("acme", "route", "week"),
    Scope("acme", "route", "day"),
    Scope("acme", "route", "all"),
    Scope("acme", "channel", "week"),
    Scope("acme", "route", "week", T0.replace(hour=0) + timedelta(days=7)),
    Scope("acme", "route", "all", None, T0.replace(hour=0) + timedelta(days=9)),
)


def _rows(first: int, count: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rows: list[dict[str, Any]] = []
    labels = {}
    for k in range(first, first + count):
        at = T0 + timedelta(hours=6 * k)
        route, email = "ABC"[k % 3], f"p{k % 11}@x.org"
        answer = None if k % 4 == 0 else 1 + k % 5
        rows.append(survey(f"i{k}", None, route, at=at, email=email))
        if answer is not None:  # answered a day and a half later, on another day than the invite
            rows.append(
                survey(f"r{k}", answer, route, at=at, email=email) | {"occurred_at": at + timedelta(hours=36)}
            )
        rows.append(post(f"{k}", route, at=at + timedelta(hours=2), email=f"p{k % 7}@x.org"))
        labels[f"p{k}"] = ("negative", "positive", "neutral", "negative")[k % 4]
        if k % 3 == 0:
            close = None if k % 9 == 0 else 3.0 + 4.0 * (k % 7) + 0.1 * k
            rows.append(ticket(f"{k}", route, at=at, close_hours=close, first_hours=0.5 + k % 4, email=email))
    return rows, labels


def _load(session: Session, first: int, count: int) -> None:
    rows, labels = _rows(first, count)
    insert(session, "acme", rows, labels)


def _same(rolled: Board, direct: Board) -> None:
    assert [(s.segment, s.period) for s in rolled.stats] == [(s.segment, s.period) for s in direct.stats]
    for r, d in zip(rolled.stats, direct.stats, strict=True):
        assert r.counts() == pytest.approx(d.counts(), abs=1e-9)
    for r, d in zip(rolled.cells, direct.cells, strict=True):
        assert (r.outside, r.gap) == (d.outside, d.gap)
        medians = ("median_hours_to_first_response", "median_hours_to_close")
        assert dataclasses.replace(r.inside, **dict.fromkeys(medians)) == dataclasses.replace(
            d.inside, **dict.fromkeys(medians)
        )
        for name in medians:
            exact, binned = getattr(d.inside, name), getattr(r.inside, name)
            assert (exact is None) == (binned is None)
            if exact is not None:
                assert binned == pytest.approx(exact, rel=0.006, abs=1 / 60)


def _check_all(session: Session) -> None:
    for scope in SCOPES:
        rolled = board(session, scope)
        assert rolled.engine.endswith("roll-up"), scope
        _same(rolled, compute_board(StoreEngine(session), scope))


def test_rollup_equals_the_direct_queries(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        _load(session, 0, 90)
        insert(session, "other", [survey("x1", 1, "A")])
        done = refresh(session, workspace)
        assert set(done.rebuilt) >= {"", "route", "channel"} and done.records > 0
        _check_all(session)


def test_incremental_refresh_rebuilds_only_touched_weeks(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        _load(session, 0, 60)
        refresh(session, workspace)
        _load(session, 60, 40)  # later days, plus a negative post right after a new ticket closed
        late = T0 + timedelta(hours=6 * 63 + 3 + 6.3 + 20)  # ticket 63 closed 20 h before
        insert(session, "acme", [post("late", "A", at=late, email="p8@x.org")], {"plate": "negative"})
        assert board(session, SCOPES[2]).engine == StoreEngine(session).name  # stale: direct, not wrong
        done = refresh(session, workspace)
        assert set(done.rebuilt.values()) == {datetime(2026, 3, 9).date()}
        _check_all(session)
        again = refresh(session, workspace)
        assert (again.rebuilt, again.records) == ({}, 0)  # idempotent: nothing new, nothing rewritten
        _check_all(session)


def test_a_late_complaint_reopens_the_week_of_a_long_ticket(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        _load(session, 0, 60)
        opened = T0 + timedelta(days=1)
        insert(session, "acme", [ticket("long", "B", at=opened, close_hours=15 * 24, email="long@x.org")])
        refresh(session, workspace)
        complaint = post("long", "C", at=opened + timedelta(days=15, hours=3), email="long@x.org")
        insert(session, "acme", [complaint], {"plong": "negative"})
        done = refresh(session, workspace)
        assert set(done.rebuilt.values()) == {T0.date()}  # the ticket's week, two weeks before the post
        _check_all(session)
        week = {(s.segment, s.period): s for s in board(session, SCOPES[2]).stats}
        assert week[("B", T0.date())].tickets_closed_unresolved >= 1


def test_relinking_people_rebuilds_distinct_counts(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    from parallax.store.models import Customer

    with session_factory() as session:
        _load(session, 0, 40)
        refresh(session, workspace)
        person = Customer(workspace_id=workspace, display_name="")
        session.add(person)
        session.flush()
        session.execute(
            update(Interaction)
            .where(Interaction.author_email.in_(["p1@x.org", "p2@x.org"]))
            .values(customer_id=person.id)
        )
        assert rolled_cells(session, SCOPES[0]) is None  # relinked since the refresh
        done = refresh(session, workspace)
        assert set(done.rebuilt.values()) == {None}
        _check_all(session)


@pytest.mark.parametrize(
    "scope",
    [
        Scope("acme", "route*cabin", "all"),
        Scope("acme", "route", "week", T0 + timedelta(days=1)),
        Scope("acme", "route", "all", T0.replace(hour=0)),
        Scope("acme", "route", "day", T0),
        Scope("acme", "airport", "week"),
    ],
    ids=lambda s: f"{s.attribute}-{s.period}-{s.since}",
)
def test_scopes_the_records_cannot_answer_run_direct(
    session_factory: sessionmaker[Session], workspace: str, scope: Scope
) -> None:
    with session_factory() as session:
        _load(session, 0, 20)
        refresh(session, workspace, attributes=["", "route"])
        assert rolled_cells(session, scope) is None
        assert board(session, scope).engine == StoreEngine(session).name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binned_medians_stay_within_half_a_bin(seed: int) -> None:
    import numpy as np

    from parallax.metrics.histogram import histogram, median, merge

    rng = np.random.default_rng(seed)
    for size in (1, 2, 7, 50, 501):
        values = rng.lognormal(2.0, 1.5, size) * rng.choice([1, 1, 1, -1], size)
        parts = np.array_split(values, 3)
        binned = median(merge(*(histogram(p.tolist()) for p in parts)))
        assert binned == pytest.approx(float(np.median(values)), rel=0.006, abs=1 / 60)
