"""The metrics room's Perception Gap Index (net favourability, bootstrap interval) for the last week.

Computed by ``parallax.metrics.compute_board`` on the store's SQL and cached per process by the rollup's
read marks: the figure is recomputed only when new interactions or enrichments have arrived.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from sqlalchemy.orm import Session

from parallax.store.models import GapRollupState

CACHE_SIZE = 64


@dataclass(frozen=True)
class IndexCard:
    inside: float | None
    outside: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    inside_n: int
    outside_n: int
    note: str
    backlog: int
    fcr_pct: float | None
    response_rate_pct: float | None


_cache: OrderedDict[tuple[object, ...], IndexCard | None] = OrderedDict()
_lock = Lock()


def gap_index(session: Session, workspace_id: str, start: datetime, end: datetime) -> IndexCard | None:
    """The whole workspace's index over [start, end); None when the metrics room is not installed."""
    state = session.get(GapRollupState, workspace_id)
    marks = (state.interaction_mark, state.enrichment_mark) if state else (0, 0)
    key = (workspace_id, start, end, *marks)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    card = _compute(session, workspace_id, start, end)
    with _lock:
        _cache[key] = card
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return card


def _compute(session: Session, workspace_id: str, start: datetime, end: datetime) -> IndexCard | None:
    try:
        from parallax.metrics import Scope, StoreEngine, compute_board
    except ImportError:
        return None
    board = compute_board(StoreEngine(session), Scope(workspace_id, None, "all", start, end))
    if not board.cells:
        return None
    cell = board.cells[0]
    g, inside = cell.gap, cell.inside
    return IndexCard(
        g.inside,
        g.outside,
        g.gap,
        g.ci_low,
        g.ci_high,
        g.inside_n,
        g.outside_n,
        g.note,
        inside.backlog,
        inside.fcr_pct,
        inside.response_rate_pct,
    )
