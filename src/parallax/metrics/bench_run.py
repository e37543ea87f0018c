"""``parallax bench metrics``: the gap report for 20 routes x 8 weeks, from the roll-up and directly.

Figures are wall and CPU seconds (SQLite and DuckDB run in this process, so their work is this process's
CPU time, which a busy shared machine disturbs less than wall time), and the direct query's time over the
roll-up's as a ratio measured in the same process. Every run also checks that each direct path gives the
same counts as the roll-up. Above ``store_max`` interactions the store's SQL is not run over every row (it
would take most of an hour): the roll-up is then built by DuckDB over the Parquet twin of the same rows, and
the report is still read from the store's records.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from parallax.metrics.bench import START, WEEKS, WORKSPACE, BenchData, bench_data
from parallax.metrics.board import Board, compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import DuckDBEngine, Engine, StoreEngine
from parallax.metrics.rollup_repository import forget
from parallax.metrics.rollup_service import board, build_records, refresh

SCOPE = Scope(WORKSPACE, "route", "week")
COLUMNS = (
    "interactions",
    "report from roll-up",
    "direct (store SQL)",
    "direct / roll-up (CPU)",
    "build roll-up",
    "rebuild last week",
    "DuckDB, direct",
    "Spark local[2], direct",
    "same counts",
)


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


@dataclass(frozen=True)
class Figures:
    """One size's figures; the direct paths are None when not run."""

    n: int
    build: Timing
    last_week: Timing
    rolled: Timing
    cells: int
    built_by: str = "sqlite"
    direct: Timing | None = None
    duckdb: Timing | None = None
    spark: Timing | None = None
    identical: bool | None = None


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


def data_for(n: int, root: Path = Path("var/bench")) -> BenchData:
    return bench_data(root, n)


def run_size(
    factory: sessionmaker[Session], data: BenchData, n: int, store_max: int, duckdb: bool
) -> tuple[Figures, Board]:
    """Build the roll-up from scratch, time a last-week rebuild and the report, then the direct paths."""
    columnar = DuckDBEngine(data.tables) if duckdb or n > store_max else None
    with factory() as session:
        store = StoreEngine(session)
        builder: Engine = store if n <= store_max or columnar is None else columnar
        forget(session, WORKSPACE)
        build, _ = timed(lambda: refresh(session, WORKSPACE, ["route"], engine=builder), repeat=1)
        session.commit()
        last_monday = (START + timedelta(weeks=WEEKS - 1)).date()
        last_week, _ = timed(lambda: build_records(builder, WORKSPACE, "route", last_monday), repeat=1)
        rolled_time, rolled = timed(lambda: board(session, SCOPE))
        assert rolled.engine.endswith("roll-up"), "the report did not read the roll-up"
        figures = Figures(n, build, last_week, rolled_time, len(rolled.cells), builder.name)
        checks = []
        if n <= store_max:
            direct, plain = timed(lambda: compute_board(store, SCOPE), repeat=1)
            figures, checks = replace(figures, direct=direct), [same_counts(rolled, plain)]
    if duckdb and columnar is not None:
        scanned, fast = timed(lambda: compute_board(columnar, SCOPE), repeat=1)
        figures, checks = replace(figures, duckdb=scanned), [*checks, same_counts(rolled, fast)]
    return replace(figures, identical=all(checks) if checks else None), rolled


def with_spark(figures: Figures, rolled: Board, data: BenchData) -> Figures:
    """The direct report on Spark local[2] over the Parquet twin (session start is not timed)."""
    from parallax.metrics.engines import SparkEngine, local_spark

    with local_spark() as spark:
        engine = SparkEngine(spark, data.tables)
        timing, plain = timed(lambda: compute_board(engine, SCOPE), repeat=2)
    agrees = same_counts(rolled, plain) and figures.identical is not False
    return replace(figures, spark=timing, identical=agrees)


def markdown(rows: list[Figures], kept: list[str], command: str) -> str:
    """The section: rows measured now plus ``kept`` rows of other sizes from the previous run, by size."""
    lines = [
        "## metrics",
        "",
        f"`{command}` (the latest run; a run replaces the rows of its sizes and keeps the others, and "
        "`--spark` adds the Spark column): the full gap report for "
        "20 routes x 8 weeks (160 cells: every inside and outside statistic of docs/metrics.md, "
        "ticket-duration medians and a 1,000-draw bootstrap of the gap per cell) over N simulated "
        "interactions, bulk-made (`parallax.metrics.bench`) into a SQLite store and a Parquet twin of the "
        "same rows (cached under var/bench/). *Roll-up* reads the store's daily records of "
        "`parallax.metrics.rollup` (best of 3); *direct* runs the declared queries over every interaction "
        "(store SQL and DuckDB, 2 threads: 1 run; Spark: best of 2, session start not timed). *Build* makes "
        "the route roll-up from nothing (on the store's SQL, or where marked on DuckDB over the twin, "
        "written to the same store); *last week* rebuilds the records of one week, what a refresh after a "
        "day's ingest costs. *Same counts*: every direct path run gives the roll-up's counts in every cell. "
        "Wall / CPU seconds (Spark: wall only, its work is in the JVM).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---:" if k < len(COLUMNS) - 1 else "---" for k in range(len(COLUMNS))) + "|",
    ]
    measured = {f.n: _row(f) for f in rows}
    every = {**{_size(line): line for line in kept}, **measured}
    lines += [every[n] for n in sorted(every)]
    return "\n".join(lines)


def kept_rows(section: str, sizes: list[int]) -> list[str]:
    """Rows of an earlier section for sizes not measured now (only if its columns are today's)."""
    if ("| " + " | ".join(COLUMNS) + " |") not in section:
        return []
    return [
        line
        for line in section.splitlines()
        if line.startswith("| ") and line[2].isdigit() and _size(line) not in sizes
    ]


def _row(f: Figures) -> str:
    ratio = "-" if f.direct is None else f"{f.direct.cpu / max(f.rolled.cpu, 1e-9):,.0f}x"
    by = "" if f.built_by == "sqlite" else f" ({_ENGINE_NAMES.get(f.built_by, f.built_by)})"
    cells = (
        f"{f.n:,}",
        _t(f.rolled),
        _t(f.direct),
        ratio,
        _t(f.build) + by,
        _t(f.last_week) + by,
        _t(f.duckdb),
        "-" if f.spark is None else f"{f.spark.wall:.2f}",
        "-" if f.identical is None else ("yes" if f.identical else "NO"),
    )
    return "| " + " | ".join(cells) + " |"


_ENGINE_NAMES = {"duckdb": "DuckDB"}


def _size(line: str) -> int:
    return int(line.split("|")[1].strip().replace(",", ""))


def _t(t: Timing | None) -> str:
    return "-" if t is None else f"{t.wall:.2f} / {t.cpu:.2f}"
