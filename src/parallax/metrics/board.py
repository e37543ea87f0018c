"""The board: inside view next to outside view and their gap, per segment and period, from any engine.

Example:
    >>> from parallax.metrics.engines import Row
    >>> class Fixed:
    ...     name = "fixed"
    ...     def rows(self, expr):
    ...         if "hours_to_close" in expr.columns:
    ...             return [{"segment": "A", "period": None, "hours_to_close": 5.0,
    ...                      "hours_to_first_response": 1.0}]
    ...         return [{"segment": "A", "period": None, "invites": 4, "responses": 2, "csat_5": 2}]
    >>> board = compute_board(Fixed(), Scope("acme", "route", "all"))
    >>> board.cells[0].inside.response_rate_pct, board.cells[0].inside.median_hours_to_close
    (50.0, 5.0)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from parallax.kit.errors import ValidationFailed
from parallax.metrics.cells import CellStats, InsideView, OutsideView, as_date, inside_view, outside_view
from parallax.metrics.declarations import PERIODS, Scope, cell_statistics, ticket_durations
from parallax.metrics.engines import Engine
from parallax.metrics.gap import GapScore, perception_gap


@dataclass(frozen=True)
class CellMetrics:
    segment: str
    period: date | None
    inside: InsideView
    outside: OutsideView
    gap: GapScore


@dataclass(frozen=True)
class Board:
    """Every cell of one scope, ordered by segment then period; ``engine`` says who computed it."""

    workspace_id: str
    attribute: str | None
    period: str
    engine: str
    cells: tuple[CellMetrics, ...]
    stats: tuple[CellStats, ...]


def validate_scope(scope: Scope) -> None:
    if scope.period not in PERIODS:
        raise ValidationFailed(f"period must be one of {', '.join(PERIODS)}, got {scope.period!r}")
    if scope.attribute is not None and not scope.attribute.replace("_", "").replace("*", "").isalnum():
        raise ValidationFailed(f"attribute must be a plain name, got {scope.attribute!r}")


def cell_stats(engine: Engine, scope: Scope) -> list[CellStats]:
    validate_scope(scope)
    stats = [CellStats.from_row(dict(r)) for r in engine.rows(cell_statistics(scope))]
    return sorted(stats, key=lambda s: (s.segment, s.period or date.min))


def duration_medians(engine: Engine, scope: Scope) -> dict[tuple[str, date | None], tuple[float | None, ...]]:
    """Median hours to first response and to close per cell (medians do not add up, so rows come back)."""
    grouped: dict[tuple[str, date | None], list[tuple[float, float]]] = defaultdict(list)
    for row in engine.rows(ticket_durations(scope)):
        grouped[(str(row["segment"]), as_date(row["period"]))].append(
            (_num(row["hours_to_first_response"]), _num(row["hours_to_close"]))
        )
    out: dict[tuple[str, date | None], tuple[float | None, ...]] = {}
    for key, values in grouped.items():
        arr = np.array(values, dtype=float)
        out[key] = tuple(_median(arr[:, k]) for k in range(2))
    return out


def _num(value: object) -> float:
    return float("nan") if value is None else float(value)  # type: ignore[arg-type]


def _median(values: np.ndarray) -> float | None:
    values = values[~np.isnan(values)]
    return None if values.size == 0 else round(float(np.median(values)), 4)


def compute_board(engine: Engine, scope: Scope, seed: int = 0) -> Board:
    """The full board for one scope: two declared queries, then pure arithmetic and bootstraps."""
    return assemble_board(
        scope, engine.name, cell_stats(engine, scope), duration_medians(engine, scope), seed
    )


def assemble_board(
    scope: Scope,
    engine_name: str,
    stats: list[CellStats],
    medians: Mapping[tuple[str, date | None], tuple[float | None, ...]],
    seed: int = 0,
) -> Board:
    """Views and gaps of every cell from its statistics, whoever summed them (a query or the roll-up)."""
    cells = tuple(
        CellMetrics(
            segment=s.segment,
            period=s.period,
            inside=inside_view(s, medians.get((s.segment, s.period), (None, None))),  # type: ignore[arg-type]
            outside=outside_view(s),
            gap=perception_gap(s, seed=seed + k),
        )
        for k, s in enumerate(stats)
    )
    return Board(scope.workspace_id, scope.attribute, scope.period, engine_name, cells, tuple(stats))
