"""The gap rollup: daily inside/outside counts per segment value, refreshed incrementally.

Dashboards read this small table instead of scanning interactions. A refresh compares the highest
interaction and enrichment ids with the marks it stored last time and rebuilds only the days that new
rows touch (a late interaction or a re-run enrichment rebuilds its own day). The counts come from the same
``gap_figures`` the drill-down filters mirror, so every rolled-up number matches its interactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.store.models import Enrichment, GapRollup, GapRollupState, Interaction, InteractionSegment
from parallax.web.queries.gap import GapFigures, gap_figures

COUNT_FIELDS = tuple(f.name for f in fields(GapFigures))
WHOLE = ""  # seg_key and seg_value of the whole-workspace rows


@dataclass(frozen=True)
class Refresh:
    days: int
    rows: int


def _day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def _as_day(value: Any) -> datetime:
    if isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def _touched_days(
    session: Session, workspace_id: str, state: GapRollupState, top: tuple[int, int]
) -> set[datetime]:
    day = _day(session, Interaction.occurred_at)
    days: set[datetime] = set()
    if top[0] > state.interaction_mark:
        query = select(day).where(
            Interaction.id > state.interaction_mark,
            Interaction.id <= top[0],
            Interaction.workspace_id == workspace_id,
        )
        days |= {_as_day(d) for d in session.scalars(query.distinct())}
    if top[1] > state.enrichment_mark:
        query = (
            select(day)
            .join(Enrichment, Enrichment.interaction_id == Interaction.id)
            .where(
                Enrichment.id > state.enrichment_mark,
                Enrichment.id <= top[1],
                Enrichment.workspace_id == workspace_id,
            )
        )
        days |= {_as_day(d) for d in session.scalars(query.distinct())}
    return days


def _keys(session: Session, workspace_id: str, after_interaction: int) -> set[str]:
    known = select(GapRollup.seg_key).where(
        GapRollup.workspace_id == workspace_id, GapRollup.seg_key != WHOLE
    )
    new = select(InteractionSegment.key).where(
        InteractionSegment.interaction_id > after_interaction, InteractionSegment.workspace_id == workspace_id
    )
    return set(session.scalars(known.distinct())) | set(session.scalars(new.distinct()))


def _rows(
    session: Session, workspace_id: str, days: set[datetime], keys: Iterable[str]
) -> list[dict[str, Any]]:
    start, end = min(days), max(days) + timedelta(days=1)
    day = _day(session, Interaction.occurred_at)
    grouped: list[tuple[str, str, datetime, GapFigures]] = [
        (WHOLE, WHOLE, _as_day(d), f) for (d,), f in gap_figures(session, workspace_id, start, end, [day])
    ]
    for key in sorted(keys):
        rows = gap_figures(
            session, workspace_id, start, end, [InteractionSegment.value, day], segment_key=key
        )
        grouped += [(key, str(value), _as_day(d), f) for (value, d), f in rows]
    return [
        {"workspace_id": workspace_id, "seg_key": k, "seg_value": v[:200], "day": d,
         **{name: getattr(f, name) for name in COUNT_FIELDS}}
        for k, v, d, f in grouped if d in days
    ]  # fmt: skip


def refresh(session: Session, workspace_id: str) -> Refresh:
    """Bring the workspace's rollup up to date; a no-op costs two primary-key lookups."""
    state = session.get(GapRollupState, workspace_id, with_for_update=True)
    if state is None:
        state = GapRollupState(
            workspace_id=workspace_id, interaction_mark=0, enrichment_mark=0, refreshed_at=utcnow()
        )
        session.add(state)
    top = (
        int(session.scalar(select(func.max(Interaction.id))) or 0),
        int(session.scalar(select(func.max(Enrichment.id))) or 0),
    )
    if top == (state.interaction_mark, state.enrichment_mark):
        return Refresh(0, 0)
    days = _touched_days(session, workspace_id, state, top)
    rows: list[dict[str, Any]] = []
    if days:
        rows = _rows(session, workspace_id, days, _keys(session, workspace_id, state.interaction_mark))
        session.execute(
            delete(GapRollup).where(GapRollup.workspace_id == workspace_id, GapRollup.day.in_(days))
        )
        if rows:
            session.execute(insert(GapRollup), rows)
    state.interaction_mark, state.enrichment_mark, state.refreshed_at = top[0], top[1], utcnow()
    session.flush()
    return Refresh(len(days), len(rows))


def rolled(
    session: Session, workspace_id: str, start: datetime, end: datetime, key: str = WHOLE
) -> list[tuple[str, datetime, GapFigures]]:
    """(segment value, day, figures) of one key ('' for the whole workspace) over [start, end)."""
    query = select(GapRollup).where(
        GapRollup.workspace_id == workspace_id,
        GapRollup.seg_key == key,
        GapRollup.day >= start,
        GapRollup.day < end,
    )
    return [
        (r.seg_value, r.day, GapFigures(**{name: getattr(r, name) for name in COUNT_FIELDS}))
        for r in session.scalars(query)
    ]


def last_day(session: Session, workspace_id: str) -> datetime | None:
    return _day_bound(session, workspace_id, func.max(GapRollup.day))


def first_day(session: Session, workspace_id: str) -> datetime | None:
    return _day_bound(session, workspace_id, func.min(GapRollup.day))


def _day_bound(session: Session, workspace_id: str, bound: Any) -> datetime | None:
    query = select(bound).where(GapRollup.workspace_id == workspace_id, GapRollup.seg_key == WHOLE)
    value = session.scalar(query)
    return None if value is None else _as_day(value)


def rolled_keys(session: Session, workspace_id: str) -> list[str]:
    query = select(GapRollup.seg_key).where(
        GapRollup.workspace_id == workspace_id, GapRollup.seg_key != WHOLE
    )
    return sorted(session.scalars(query.distinct()))
