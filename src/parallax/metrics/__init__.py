"""The metrics room: inside, outside and gap scores per segment and period, bias correction, hidden
segments, mirror surveys and frontline themes.

Metrics are declared once (``declarations``: Ibis expressions over the store's table shape) and run by
more than one engine (``engines``: the store's SQL on SQLite/PostgreSQL, or Spark). Everything after the
declared reductions is pure Python over frozen dataclasses. This room reads the store; it must not import
delivery code (api, cli, web) nor write to other rooms' tables.
"""

from parallax.metrics.board import Board, CellMetrics, compute_board
from parallax.metrics.cells import CellStats, InsideView, OutsideView
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import SparkEngine, StoreEngine
from parallax.metrics.gap import GapScore, perception_gap

__all__ = [
    "Board",
    "CellMetrics",
    "CellStats",
    "GapScore",
    "InsideView",
    "OutsideView",
    "Scope",
    "SparkEngine",
    "StoreEngine",
    "compute_board",
    "perception_gap",
]
