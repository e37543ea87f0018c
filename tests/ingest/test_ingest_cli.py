"""``parallax ingest``: the summary table, the rejects notice, and a clear exit (never a traceback) for a bad
mapping, a file with no rows, a run that rejected every row and a file that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import Result
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


def _ingest(tmp_path: Path, path: Path, *more: str) -> Result:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = CliRunner().invoke(app, ["ingest", str(path), "--database-url", url, *more])
    # Never a traceback: a clean exit code and a message, whatever the file.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_a_wrong_mapping_that_rejects_every_row_fails_with_the_first_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(i) for i in range(3)])
    result = _ingest(tmp_path, path, "--mapping", "reviews")
    assert result.exit_code == 1
    assert "every one of the 3 row(s) was rejected" in result.output
    assert "First errors: row 2 " in result.output and "Check --mapping (reviews)" in result.output
    assert "tickets.rejects.csv" in result.output


def test_a_header_only_file_fails_unless_empty_is_allowed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [])
    result = _ingest(tmp_path, path, "--mapping", "tickets")
    assert result.exit_code == 1 and "tickets.csv has no rows" in result.output
    allowed = _ingest(tmp_path, path, "--mapping", "tickets", "--allow-empty")
    assert allowed.exit_code == 0 and "has no rows: nothing to import" in allowed.output
    empty_jsonl = tmp_path / "chat.jsonl"
    empty_jsonl.write_text("\n\n")
    assert _ingest(tmp_path, empty_jsonl).exit_code == 1


def test_a_rerun_that_finds_only_duplicates_succeeds(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(1), ticket_row(2)])
    assert _ingest(tmp_path, path, "--mapping", "tickets").exit_code == 0
    again = _ingest(tmp_path, path, "--mapping", "tickets")
    assert again.exit_code == 0 and "rejected" in again.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("noise.csv", bytes(range(256)) * 64, "noise.csv does not look like a text file"),
        ("nul.csv", b"id,text\n1,he\x00llo\n" * 40, "nul.csv does not look like a text file"),
        ("rows.parquet", b"id,text\n1,hello\n", "rows.parquet is not a readable Parquet file"),
        ("empty.parquet", b"", "empty.parquet is not a readable Parquet file"),
        ("tickets.txt", b"id,text\n1,hello\n", "cannot tell the format of tickets.txt"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2_with_a_message(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = _ingest(tmp_path, path)
    assert result.exit_code == 2 and message in result.output


def test_a_parquet_file_named_csv_exits_2_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    pq.write_table(pa.table({"id": ["1", "2"], "score": [1.5, 2.5]}), path)
    result = _ingest(tmp_path, path)
    assert result.exit_code == 2 and "export.csv does not look like a text file" in result.output


def test_a_missing_file_exits_2_with_a_message(tmp_path: Path) -> None:
    result = _ingest(tmp_path, tmp_path / "nope.csv")
    assert result.exit_code == 2 and "does not exist" in result.output
