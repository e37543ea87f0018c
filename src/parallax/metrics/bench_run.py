"""``parallax bench metrics``: the gap report for 20 routes x 8 weeks, from the roll-up and directly.

Figures are wall and CPU seconds (SQLite runs in this process, so its work is this process's CPU time,
which a busy shared machine disturbs less than wall time), and the direct query's time over the roll-up's
as a ratio measured in the same process. Every run also checks that both paths give the same counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from parallax.metrics.bench import START, WEEKS, WORKSPACE, bench_store
from parallax.metrics.board import Board, compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.rollup_repository import forget
from parallax.metrics.rollup_service import board, build_records, refresh

SCOPE = Scope(WORKSPACE, "route", "week")


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


@dataclass(frozen=True)
class Figures:
    """One size's figures; ``direct`` and ``spark`` are None when not run."""

    n: int
    build: Timing
    last_week: Timing
    rolled: Timing
    cells: int
    direct: Timing | None = None
    identical: bool | None = None
    spark: Timing | None = None


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[Timing, Any]:
    """Best wall and best CPU time of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(min(walls), min(cpus)), result


def same_counts(rolled: Board, direct: Board) -> bool:
    return [s.counts() for s in rolled.stats] == [s.counts() for s in direct.stats]


def run_size(factory: sessionmaker[Session], n: int, direct: bool) -> Figures:
    """Build the roll-up from scratch, time a last-week rebuild and the report, optionally the direct path."""
    with factory() as session:
        forget(session, WORKSPACE)
        build, _ = timed(lambda: refresh(session, WORKSPACE, attributes=["route"]), repeat=1)
        session.commit()
        last_monday = (START + timedelta(weeks=WEEKS - 1)).date()
        engine = StoreEngine(session)
        last_week, _ = timed(lambda: build_records(engine, WORKSPACE, "route", last_monday), repeat=1)
        rolled_time, rolled = timed(lambda: board(session, SCOPE))
        assert rolled.engine.endswith("roll-up"), "the report did not read the roll-up"
        figures = Figures(n, build, last_week, rolled_time, len(rolled.cells))
        if not direct:
            return figures
        direct_time, plain = timed(lambda: compute_board(engine, SCOPE), repeat=1)
        return Figures(**{**figures.__dict__, "direct": direct_time, "identical": same_counts(rolled, plain)})


def spark_timing(factory: sessionmaker[Session]) -> Timing:
    """The direct report on Spark local[2] (export to Parquet and session start are not timed)."""
    import tempfile

    from parallax.metrics.engines import SparkEngine, export_tables, local_spark

    with tempfile.TemporaryDirectory() as tmp, factory() as session, local_spark() as spark:
        export_tables(session, WORKSPACE, Path(tmp))
        engine = SparkEngine(spark, Path(tmp))
        timing, _ = timed(lambda: compute_board(engine, SCOPE), repeat=2)
    return timing


def store_for(n: int, root: Path = Path("var/bench")) -> Path:
    return bench_store(root / f"metrics-{n}.sqlite", n)


def markdown(rows: list[Figures], command: str) -> str:
    lines = [
        "## metrics",
        "",
        f"`{command}`: the full gap report for 20 routes x 8 weeks (160 cells: every inside and outside "
        "statistic of docs/metrics.md, ticket-duration medians and a 1,000-draw bootstrap of the gap per "
        "cell) over N simulated interactions in a SQLite store (cached under var/bench/). *Roll-up* reads "
        "the daily records of `parallax.metrics.rollup` (best of 3); *direct* runs the declared queries over "
        "every interaction (1 run). *Build* makes the route roll-up from nothing; *last week* rebuilds the "
        "records of one week, what a refresh after a day's ingest costs. Wall / CPU seconds (Spark: wall "
        "only, its work is in the JVM).",
        "",
        "| interactions | report from roll-up | direct (store SQL) | direct / roll-up (CPU) | same counts | "
        "build roll-up | rebuild last week | Spark local[2], direct |",
        "|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for f in rows:
        lines.append(
            f"| {f.n:,} | {_t(f.rolled)} | {_t(f.direct)} | "
            f"{'-' if f.direct is None else f'{f.direct.cpu / max(f.rolled.cpu, 1e-9):,.0f}x'} | "
            f"{'-' if f.identical is None else ('yes' if f.identical else 'NO')} | {_t(f.build)} | "
            f"{_t(f.last_week)} | {'-' if f.spark is None else f'{f.spark.wall:.2f}'} |"
        )
    return "\n".join(lines)


def _t(t: Timing | None) -> str:
    return "-" if t is None else f"{t.wall:.2f} / {t.cpu:.2f}"
