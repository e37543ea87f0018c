"""The executive view's data: headline inside/outside/gap, weekly trend, segment heatmap, hidden failures.

Read from the gap rollup (``parallax.web.rollup``): a few thousand rows whatever the store's size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from parallax.web import rollup
from parallax.web.queries.gap import GapFigures

HEATMAP_ROWS = 12
HIDDEN_MIN_ORGANIC = 20


@dataclass(frozen=True)
class Window:
    """``weeks`` whole weeks ending at ``end`` (exclusive): the last recorded day, not the wall clock."""

    start: datetime
    end: datetime
    weeks: int

    def week_start(self, index: int) -> datetime:
        return self.start + timedelta(weeks=index)


@dataclass(frozen=True)
class HiddenFailure:
    key: str
    value: str
    figures: GapFigures


@dataclass(frozen=True)
class Executive:
    window: Window | None
    current: GapFigures = field(default_factory=GapFigures)
    previous: GapFigures = field(default_factory=GapFigures)
    trend: list[tuple[datetime, GapFigures]] = field(default_factory=list)
    segment_keys: list[str] = field(default_factory=list)
    heatmap_key: str | None = None
    heatmap: dict[str, dict[int, GapFigures]] = field(default_factory=dict)
    hidden: list[HiddenFailure] = field(default_factory=list)


def window_for(session: Session, workspace_id: str, weeks: int) -> Window | None:
    """Up to ``weeks`` weeks, but no empty weeks before the first recorded day (at least two: the last
    week is compared with the one before)."""
    last = rollup.last_day(session, workspace_id)
    first = rollup.first_day(session, workspace_id)
    if last is None or first is None:
        return None
    end = last + timedelta(days=1)
    recorded = -(-(end - first).days // 7)
    weeks = max(2, min(weeks, recorded))
    return Window(end - timedelta(weeks=weeks), end, weeks)


def executive(
    session: Session, workspace_id: str, weeks: int = 8, heatmap_key: str | None = None
) -> Executive:
    """Everything the executive page shows, for the ``weeks`` up to the last recorded day (rollup)."""
    window = window_for(session, workspace_id, weeks)
    if window is None:
        return Executive(window=None)
    keys = rollup.rolled_keys(session, workspace_id)
    if heatmap_key not in keys:
        heatmap_key = _default_key(keys)
    trend = weekly(session, workspace_id, window)
    return Executive(
        window=window,
        current=trend[-1][1],
        previous=trend[-2][1] if len(trend) > 1 else GapFigures(),
        trend=trend,
        segment_keys=keys,
        heatmap_key=heatmap_key,
        heatmap=heatmap(session, workspace_id, window, heatmap_key) if heatmap_key else {},
        hidden=hidden_failures(session, workspace_id, window, keys, _total(f for _, f in trend)),
    )


def _default_key(keys: list[str]) -> str | None:
    for preferred in ("route", "airport", "product", "region", "queue"):
        if preferred in keys:
            return preferred
    return keys[0] if keys else None


def _total(items: Iterable[GapFigures]) -> GapFigures:
    return sum(items, GapFigures())


def _week(window: Window, day: datetime) -> int:
    return (day - window.start).days // 7


def weekly(session: Session, workspace_id: str, window: Window) -> list[tuple[datetime, GapFigures]]:
    weeks = [GapFigures() for _ in range(window.weeks)]
    for _, day, figures in rollup.rolled(session, workspace_id, window.start, window.end):
        weeks[_week(window, day)] += figures
    return [(window.week_start(i), weeks[i]) for i in range(window.weeks)]


def heatmap(
    session: Session, workspace_id: str, window: Window, key: str
) -> dict[str, dict[int, GapFigures]]:
    """Segment value x week, for the values with the most interactions."""
    grid: dict[str, dict[int, GapFigures]] = {}
    for value, day, figures in rollup.rolled(session, workspace_id, window.start, window.end, key):
        cells = grid.setdefault(value, {})
        index = _week(window, day)
        cells[index] = cells.get(index, GapFigures()) + figures
    volume = {value: sum(f.organic + f.surveys for f in cells.values()) for value, cells in grid.items()}
    top = sorted(volume, key=lambda v: (-volume[v], v))[:HEATMAP_ROWS]
    return {value: grid[value] for value in sorted(top)}


def hidden_failures(
    session: Session, workspace_id: str, window: Window, keys: list[str], overall: GapFigures, limit: int = 10
) -> list[HiddenFailure]:
    """Segments whose surveys look at least average while organic voices are the most negative."""
    found: list[HiddenFailure] = []
    for key in keys:
        totals: dict[str, GapFigures] = {}
        for value, _, figures in rollup.rolled(session, workspace_id, window.start, window.end, key):
            totals[value] = totals.get(value, GapFigures()) + figures
        for value, figures in totals.items():
            if figures.labelled < HIDDEN_MIN_ORGANIC or figures.gap is None:
                continue
            inside_ok = overall.inside_pct is None or (figures.inside_pct or 0) >= overall.inside_pct - 5
            if inside_ok and figures.gap > (overall.gap or 0):
                found.append(HiddenFailure(key, value, figures))
    found.sort(key=lambda h: -(h.figures.gap or 0))
    return found[:limit]
