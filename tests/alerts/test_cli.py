"""``parallax detect series``: NAB-format in, scores out, each score using only earlier rows."""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta
from pathlib import Path

import typer
from typer.testing import CliRunner

from parallax.cli import stream_cmd


def _app() -> typer.Typer:
    app = typer.Typer()
    stream_cmd.register(app)
    return app


def _write(path: Path, values: list[float]) -> None:
    t0 = datetime(2015, 2, 26, 21, 42, 53)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "value"])
        for i, v in enumerate(values):
            writer.writerow([(t0 + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S"), f"{v:g}"])


def _scores(path: Path) -> list[float]:
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["timestamp", "value", "anomaly_score"]
    return [float(r["anomaly_score"]) for r in rows]


def test_detect_series_is_streaming(tmp_path: Path) -> None:
    values = [50 + 20 * math.sin(i / 12) + (i % 7) for i in range(600)]
    values[500] = 400
    _write(tmp_path / "full.csv", values)
    _write(tmp_path / "prefix.csv", values[:450])
    runner = CliRunner()
    for name in ("full", "prefix"):
        result = runner.invoke(
            _app(),
            ["detect", "series", str(tmp_path / f"{name}.csv"), "--output", str(tmp_path / f"{name}.out")],
        )
        assert result.exit_code == 0, result.output
    full, prefix = _scores(tmp_path / "full.out"), _scores(tmp_path / "prefix.out")
    assert full[:450] == prefix  # the future never changes a past score
    assert all(0.0 <= s <= 1.0 for s in full)
    assert max(range(len(full)), key=full.__getitem__) == 500
