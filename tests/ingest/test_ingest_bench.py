"""The benchmark's own parts: its generated input imports cleanly, and it reports what it measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.ingest.bench import (
    Figure,
    Ratio,
    canonical_records,
    file_figure,
    http_figure,
    markdown,
    write_csv,
)


def test_generated_csv_imports_every_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", 300)
    figure = file_figure(path, f"sqlite:///{tmp_path / 'bench.sqlite'}", "SQLite", 300)
    assert (figure.rows, figure.store) == (300, "SQLite")
    assert figure.seconds > 0 and figure.cpu_rate is not None


def test_canonical_records_are_the_same_tickets() -> None:
    records = canonical_records(50)
    assert len({r["external_id"] for r in records}) == 50
    assert all(r["kind"] == "ticket" and len(r["segments"]) == 4 for r in records)
    assert any("score_value" in r for r in records) and any("score_value" not in r for r in records)


@pytest.mark.slow
def test_http_figure_goes_through_a_real_server(tmp_path: Path) -> None:
    figure = http_figure(f"sqlite:///{tmp_path / 'http.sqlite'}", "SQLite", canonical_records(1000))
    assert figure.rows == 1000 and figure.cpu_seconds is None


def test_markdown_lists_every_figure_and_the_command() -> None:
    figures = [Figure("file", "SQLite", 1000, 0.5, 0.25), Figure("HTTP", "PostgreSQL", 1000, 2.0, None)]
    text = markdown(figures, 1000, 1000, (1.0, 2.0))
    assert "`parallax bench ingest --rows 1000 --http-rows 1000`" in text
    assert "| file | SQLite | 1,000 | 0.50 | 2,000 | 4,000 |" in text
    assert "| HTTP | PostgreSQL | 1,000 | 2.00 | 500 | - |" in text


def test_ratio_line_gives_each_path_against_the_first_version() -> None:
    ratio = Ratio(1000, (4.0, 2.0), (("row path", 2.0, 1.0), ("column path", 1.0, 0.5)))
    line = ratio.line()
    assert "first version (pydantic per row, ORM bulk insert) 4.00 / 2.00" in line
    assert "row path 2.00 / 1.00 (**2.0x** wall, **2.0x** CPU; 1,000 rows per CPU-s)" in line
    assert "column path 1.00 / 0.50 (**4.0x** wall, **4.0x** CPU; 2,000 rows per CPU-s)" in line


def test_stages_split_the_cpu_and_bound_by_the_slower_stage() -> None:
    figure = Figure("file", "SQLite", 1000, 0.5, 0.03, 0.02)
    line = figure.stages() or ""
    assert "20.0 µs on the writer thread" in line and "10.0 µs for the rest" in line
    assert "at most 50,000 rows/s" in line
    postgres = Figure("file", "PostgreSQL", 1000, 0.5, 0.03, 0.02)
    text = markdown([figure, postgres], 1000, 1000, (1.0, 2.0))
    assert text.count("on the writer thread") == 1
    assert Figure("HTTP", "SQLite", 1000, 2.0, None).stages() is None


def test_file_figure_counts_the_writer_threads_cpu(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", 300)
    figure = file_figure(path, f"sqlite:///{tmp_path / 'bench.sqlite'}", "SQLite", 300, batch_size=100)
    assert figure.write_cpu_seconds is not None and figure.cpu_seconds is not None
    assert 0 < figure.write_cpu_seconds <= figure.cpu_seconds
