"""The metric roll-up as a service: refresh it after ingest or enrichment, and read boards from it.

``refresh`` rebuilds, from the Monday of the earliest moment that new interactions or enrichments touched
(reaching back over the ticket follow-up window), every rolled attribute's day records, with the declared
reductions on any engine. Running it twice changes nothing. ``board`` answers from the records when they
are current and the scope is made of whole days, and runs the declared queries directly otherwise, so a
caller never sees a stale figure. Services never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.metrics import rollup_repository as repo
from parallax.metrics.board import Board, assemble_board, compute_board, validate_scope
from parallax.metrics.cells import CellStats
from parallax.metrics.declarations import (
    COLUMN_ATTRIBUTES,
    FOLLOW_UP_SECONDS,
    Scope,
    cell_statistics,
    first_seen,
    ticket_durations,
)
from parallax.metrics.engines import Engine, StoreEngine
from parallax.metrics.rollup import (
    WHOLE,
    Medians,
    attribute_key,
    cells_from_records,
    day_records,
    rebuild_start,
    servable,
    version,
)

MAX_SEGMENT_VALUES = 1000
# Marks that change when identity resolution relinks people: distinct persons and follow-up flags move,
# and so do person attributes (a linked tweet now counts under its customer's loyalty tier).
PEOPLE_MARKS = ("customer", "identity_event", "linked", "customer_updated")


@dataclass(frozen=True)
class Refresh:
    """What one refresh rebuilt: per attribute, from which Monday (None: from the start)."""

    rebuilt: dict[str, date | None]
    records: int


def build_records(
    engine: Engine, workspace_id: str, attribute: str, since: date | None
) -> dict[tuple[str, date], dict[str, Any]]:
    """The day records of one attribute from ``since`` (a Monday; None for all), on any engine."""
    name = None if attribute == WHOLE else attribute
    start = None if since is None else datetime(since.year, since.month, since.day)
    day = Scope(workspace_id, name, "day", start)
    firsts = {
        "week": engine.rows(first_seen(Scope(workspace_id, name, "week", start))),
        "all": engine.rows(first_seen(Scope(workspace_id, name, "all"))),
    }
    return day_records(engine.rows(cell_statistics(day)), engine.rows(ticket_durations(day)), firsts)


def default_attributes(session: Session, workspace_id: str) -> list[str]:
    """The whole workspace, the column attributes and every segment key that is not an identifier."""
    keys = repo.segment_keys(session, workspace_id, MAX_SEGMENT_VALUES)
    return [WHOLE, *COLUMN_ATTRIBUTES, *[k for k in keys if k not in COLUMN_ATTRIBUTES]]


def _rebuild_from(session: Session, workspace_id: str, marks: dict[str, int]) -> date | None:
    moment = repo.earliest_touched(session, workspace_id, marks)
    if moment is None:
        return None
    back = moment - timedelta(seconds=FOLLOW_UP_SECONDS)
    return rebuild_start([back, repo.ticket_reach(session, workspace_id, moment)])


def refresh(
    session: Session,
    workspace_id: str,
    attributes: Sequence[str] | None = None,
    now: datetime | None = None,
    engine: Engine | None = None,
) -> Refresh:
    """Bring the roll-up up to date (idempotent), adding ``attributes`` (default: every segment key).

    The records are reduced by ``engine`` (default: the store's SQL); another engine must read a copy of
    the same rows (the benchmark builds its 10 million row roll-up on DuckDB over the store's Parquet twin).
    """
    engine = engine or StoreEngine(session)
    previous = repo.state(session, workspace_id, lock=True)
    marks = repo.current_marks(session)
    held = [] if previous is None else list(previous.attributes)
    asked = list(attributes) if attributes is not None else default_attributes(session, workspace_id)
    # Every held attribute is refreshed too: the marks move for all of them at once.
    wanted = list(dict.fromkeys([*asked, *held]))
    valid = (
        previous is not None
        and previous.version == version()
        and all(previous.marks.get(k) == marks[k] for k in PEOPLE_MARKS)
    )
    start = _rebuild_from(session, workspace_id, previous.marks) if valid and previous else None
    rebuilt: dict[str, date | None] = {}
    written = 0
    for attribute in wanted:
        known = valid and attribute in held
        if known and start is None:
            continue  # nothing new touched this attribute's days
        since = start if known else None
        written += repo.replace_records(
            session, workspace_id, attribute, since, build_records(engine, workspace_id, attribute, since)
        )
        rebuilt[attribute] = since
    repo.save_state(session, workspace_id, version(), marks, wanted, now or utcnow())
    return Refresh(rebuilt, written)


def rolled_cells(session: Session, scope: Scope) -> tuple[list[CellStats], Medians] | None:
    """The scope's cells summed from current day records, or None when the records cannot answer it."""
    validate_scope(scope)
    if not servable(scope):
        return None
    held = repo.state(session, scope.workspace_id)
    if held is None or held.version != version() or attribute_key(scope) not in held.attributes:
        return None
    if held.marks != repo.current_marks(session):
        return None  # written since the last refresh: the records may be behind
    rows = repo.records(session, scope.workspace_id, attribute_key(scope), scope.since, scope.until)
    return cells_from_records(rows, scope.period)


def board(session: Session, scope: Scope, seed: int = 0) -> Board:
    """The board from the roll-up where it is current, else from the declared queries (same figures)."""
    rolled = rolled_cells(session, scope)
    engine = StoreEngine(session)
    if rolled is None:
        return compute_board(engine, scope, seed)
    return assemble_board(scope, f"{engine.name} roll-up", rolled[0], rolled[1], seed)
