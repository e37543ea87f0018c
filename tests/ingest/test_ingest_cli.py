"""``parallax ingest``: the summary table, the rejects notice, and a clear exit for a bad mapping."""

from __future__ import annotations

from pathlib import Path

from ingest_factories import TICKET_HEADER, ticket_row, write_csv
from typer.testing import CliRunner

from parallax.cli.main import app


def test_ingest_prints_a_summary_and_points_at_the_rejects(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(1), ticket_row(2, csat="11")])
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    args = ["ingest", str(path), "--mapping", "tickets", "--workspace", "acme", "--database-url", url]
    first = CliRunner().invoke(app, args)
    again = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "inserted" in first.output and "1 row(s) rejected" in first.output
    assert "tickets.rejects.csv" in first.output
    assert again.exit_code == 0 and "already there (skipped)" in again.output


def test_unknown_mapping_exits_with_a_message(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(1)])
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = CliRunner().invoke(app, ["ingest", str(path), "--mapping", "nope", "--database-url", url])
    assert result.exit_code == 2
    assert "no mapping 'nope'" in result.output
