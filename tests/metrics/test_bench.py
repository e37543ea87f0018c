"""The metrics benchmark's data and table: both copies hold the same rows, and re-runs keep other sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.kit.db import make_engine, make_sessionmaker
from parallax.metrics.bench import BenchData, bench_data
from parallax.metrics.bench_run import SCOPE, Figures, Timing, kept_rows, markdown
from parallax.metrics.board import compute_board
from parallax.metrics.engines import DuckDBEngine, StoreEngine


def test_the_store_and_its_parquet_twin_give_the_same_board(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    data = bench_data(tmp_path, 6_000, chunk=2_500)  # three chunks, the last one short
    engine = make_engine(f"sqlite:///{data.store}")
    with make_sessionmaker(engine)() as session:
        stored = compute_board(StoreEngine(session), SCOPE)
    engine.dispose()
    twin = compute_board(DuckDBEngine(data.tables), SCOPE)
    assert len(stored.cells) == 20 * 8
    assert sum(s.interactions for s in stored.stats) == 6_000
    assert stored.stats == twin.stats
    assert stored.cells == twin.cells


def test_a_second_call_reuses_both_copies(tmp_path: Path) -> None:
    def stamps(data: BenchData) -> list[int]:
        return [data.store.stat().st_mtime_ns, (data.tables / "interaction.parquet").stat().st_mtime_ns]

    first = stamps(bench_data(tmp_path, 1_000))
    assert stamps(bench_data(tmp_path, 1_000)) == first


def _figures(n: int, report: float) -> Figures:
    t = Timing(report, report / 2)
    return Figures(n, build=t, last_week=t, rolled=t, cells=160, duckdb=t, identical=True)


def test_a_rerun_replaces_its_own_sizes_and_keeps_the_others() -> None:
    before = markdown([_figures(100_000, 0.4), _figures(1_000_000, 1.1)], [], "parallax bench metrics")
    kept = kept_rows(before, [1_000_000, 10_000_000])
    after = markdown([_figures(10_000_000, 2.5), _figures(1_000_000, 1.2)], kept, "parallax bench metrics")
    rows = [line for line in after.splitlines() if line.startswith("| 1")]
    assert [r.split(" | ")[0] for r in rows] == ["| 100,000", "| 1,000,000", "| 10,000,000"]
    assert "| 0.40 / 0.20 |" in rows[0] and "| 1.20 / 0.60 |" in rows[1]


def test_rows_of_another_table_shape_are_not_kept() -> None:
    old = "| interactions | report |\n|---:|---:|\n| 100,000 | 0.42 |"
    assert kept_rows(old, [1_000_000]) == []
