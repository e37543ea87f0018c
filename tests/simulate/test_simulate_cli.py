from __future__ import annotations

import doctest
import json
from pathlib import Path

from typer.testing import CliRunner

import parallax.simulate
from parallax.cli.main import app


def test_simulate_command_writes_the_world(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["simulate", "--seed", "3", "--days", "2", "--customers", "800", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "truth" / "summary.json").read_text())
    assert (summary["seed"], summary["days"], summary["n_customers"]) == (3, 2, 800)
    assert (tmp_path / "social.jsonl").exists() and (tmp_path / "truth" / "identities.csv").exists()


def test_bad_start_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", "--out", str(tmp_path), "--start", "soon"])
    assert result.exit_code != 0


def test_public_api() -> None:
    assert sorted(parallax.simulate.__all__) == [
        "World", "WorldConfig", "simulate", "simulate_world", "write_world",
    ]  # fmt: skip


def test_bench_simulate_prints_figures(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["bench", "simulate", "--customers", "500", "--days", "1", "--no-write", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "interactions/CPU s" in result.output
    assert (tmp_path / "truth" / "summary.json").exists()


def test_package_docstring_example_runs() -> None:
    failures, tried = doctest.testmod(parallax.simulate)
    assert tried > 0 and failures == 0
