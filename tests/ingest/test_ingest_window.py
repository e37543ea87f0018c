"""The window of accepted timestamps: rows dated far in the future or before the floor are rejected alone,
with the field, the value and the window; the file import (both paths), the CLI and the HTTP API."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ingest_factories import TICKET_HEADER, run, stored, ticket_row, write_csv
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from parallax.api.app import create_app
from parallax.cli.main import app
from parallax.ingest.validate import validate_rows
from parallax.ingest.window import DEFAULT_EARLIEST, DEFAULT_FUTURE_DAYS, DateBounds, DateWindow
from parallax.kit.settings import Settings
from parallax.store.workspaces import create_api_key

NOW = datetime(2026, 3, 10, 12, 0)
WINDOW = DateBounds().at(NOW)  # 2000-01-01 00:00 to 2026-03-12 12:00


def _row(occurred_at: str, **change: str) -> dict[str, str]:
    row = {
        "source": "s",
        "external_id": "1",
        "channel": "chat",
        "kind": "message",
        "occurred_at": occurred_at,
    }
    row.update(change)
    return row


def test_the_window_runs_from_the_floor_to_a_few_days_after_now() -> None:
    assert DateWindow(datetime(2000, 1, 1), datetime(2026, 3, 12, 12, 0)) == WINDOW
    assert DateBounds(date(2010, 1, 1), 0).at(NOW) == DateWindow(datetime(2010, 1, 1), NOW)
    assert DateBounds(future_days=1e9).at(NOW).latest == datetime.max  # no overflow
    settings = Settings()
    assert (settings.ingest_earliest, settings.ingest_future_days) == (DEFAULT_EARLIEST, DEFAULT_FUTURE_DAYS)


@pytest.mark.parametrize(
    ("occurred_at", "kept"),
    [
        ("2099-01-01T00:00:00Z", False),
        ("0001-01-01T00:00:00", False),
        ("1999-12-31T23:59:59Z", False),
        ("2026-03-12T12:00:01Z", False),
        ("2000-01-01T00:00:00Z", True),
        ("2008-06-01T10:00:00Z", True),  # the oldest real data in ../shared/data
        ("2026-03-12T11:00:00Z", True),  # a clock a day ahead is fine
        ("2026-03-12T13:30:00+02:00", True),  # the window is in UTC: 11:30
    ],
)
def test_rows_outside_the_window_are_rejected_alone(occurred_at: str, kept: bool) -> None:
    good, errors = validate_rows([(1, _row("2026-03-01T10:00:00Z")), (2, _row(occurred_at))], WINDOW)
    assert len(good) == (2 if kept else 1)
    assert [e.row for e in errors] == ([] if kept else [2])


def test_the_error_names_the_field_the_value_and_the_window() -> None:
    row = _row("2026-01-05T10:00:00Z", closed_at="2099-01-01T00:00:00Z")
    _, errors = validate_rows([(7, row)], WINDOW)
    assert [(e.row, e.field) for e in errors] == [(7, "closed_at")]
    assert errors[0].reason == (
        "2099-01-01 00:00:00 is too far in the future: accepted 2000-01-01 00:00 to 2026-03-12 12:00 UTC"
    )
    _, errors = validate_rows([(3, _row("0001-01-01T00:00:00"))], WINDOW)
    assert errors[0].field == "occurred_at"
    assert errors[0].reason.startswith("0001-01-01 00:00:00 is before the earliest accepted date: accepted")


def test_without_a_window_nothing_is_bounded() -> None:
    good, errors = validate_rows([(1, _row("2099-01-01T00:00:00Z")), (2, _row("0001-01-01T00:00:00"))])
    assert (len(good), errors) == (2, [])


@pytest.mark.parametrize("columnar", [True, False])
def test_a_file_import_rejects_out_of_window_rows_on_both_paths(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str, columnar: bool
) -> None:
    rows = [
        ticket_row(1),
        ticket_row(2, created_at="2099-01-01T00:00:00Z", closed_at="2099-01-02T00:00:00Z"),
        ticket_row(3, created_at="0001-01-01T00:00:00Z", first_response_at="", closed_at=""),
        ticket_row(4, first_response_at="2030-05-01T00:00:00Z", closed_at="2030-05-02T00:00:00Z"),
        ticket_row(5, created_at="2026-01-05 10:00:00", closed_at=""),
    ]
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, rows)
    summary = run(path, "tickets", session_factory, window=WINDOW, columnar=columnar, batch_size=2)
    assert (summary.rows, summary.inserted, summary.rejected) == (5, 2, 3)
    assert sorted(i.external_id for i in stored(session_factory)) == ["T1", "T5"]
    assert summary.rejects_path is not None
    with summary.rejects_path.open(newline="") as handle:
        rejects = {r["row"]: r for r in csv.DictReader(handle)}
    assert sorted(rejects) == ["3", "4", "5"]  # the header is row 1
    assert rejects["3"]["field"] == "created_at | closed_at"  # the source columns the mapping reads
    assert "2099-01-01 00:00:00 is too far in the future" in rejects["3"]["reason"]
    assert rejects["4"]["field"] == "created_at" and "before the earliest" in rejects["4"]["reason"]
    assert rejects["5"]["field"] == "first_response_at | closed_at"


def test_jsonl_rows_outside_the_window_are_rejected_by_line(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = tmp_path / "chat.jsonl"
    lines = [
        '{"external_id": "a", "channel": "chat", "kind": "message", "occurred_at": "2026-01-05T10:00:00Z"}',
        '{"external_id": "b", "channel": "chat", "kind": "message", "occurred_at": "2099-01-05T10:00:00Z"}',
    ]
    path.write_text("\n".join(lines) + "\n")
    summary = run(path, "parallax", session_factory, window=WINDOW)
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert [(e.row, e.field) for e in summary.first_errors] == [(2, "occurred_at")]


def test_the_cli_applies_the_window_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [ticket_row(1), ticket_row(2, created_at="2099-01-01T00:00:00Z", closed_at="")]
    rows += [ticket_row(3, created_at="2005-01-01T00:00:00Z", first_response_at="", closed_at="")]
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, rows)
    args = [
        "ingest",
        str(path),
        "--mapping",
        "tickets",
        "--database-url",
        f"sqlite:///{tmp_path / 'c.sqlite'}",
    ]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2 row(s) rejected" not in first.output and "1 row(s) rejected" in first.output
    assert "too far in the future" in (tmp_path / "tickets.rejects.csv").read_text()
    monkeypatch.setenv("PARALLAX_INGEST_EARLIEST", "2010-01-01")
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "2 row(s) rejected" in again.output  # 2005 is now before the floor
    assert (
        "before the earliest accepted date: accepted 2010-01-01"
        in (tmp_path / "tickets.rejects.csv").read_text()
    )


def test_the_api_rejects_an_out_of_window_row_and_keeps_the_others(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        key = create_api_key(session, "acme", "test")
        session.commit()
    base = {"source": "chat-widget", "channel": "chat", "kind": "message"}
    rows = [
        {**base, "external_id": "1", "occurred_at": "2026-01-05T10:00:00Z"},
        {**base, "external_id": "2", "occurred_at": "2099-01-01T00:00:00Z"},
        {**base, "external_id": "3", "occurred_at": "0001-01-01T00:00:00Z"},
        {**base, "external_id": "4", "occurred_at": "2015-02-24T11:35:52-08:00"},
    ]
    with TestClient(create_app(db_url)) as client:
        response = client.post(
            "/v1/interactions", json={"interactions": rows}, headers={"Authorization": f"Bearer {key}"}
        )
    body = response.json()
    assert response.status_code == 200, body
    assert body["accepted"] == 2
    assert [(e["row"], e["field"]) for e in body["rejected"]] == [(1, "occurred_at"), (2, "occurred_at")]
    assert (
        "2099-01-01 00:00:00 is too far in the future: accepted 2000-01-01 00:00 to"
        in body["rejected"][0]["reason"]
    )


def test_the_api_takes_the_apps_own_bounds(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        key = create_api_key(session, "acme", "test")
        session.commit()
    row = {"source": "s", "external_id": "1", "channel": "chat", "kind": "message"}
    api = create_app(db_url)
    api.state.date_bounds = DateBounds(date(2020, 1, 1), 0)
    with TestClient(api) as client:
        body = client.post(
            "/v1/interactions",
            json={"interactions": [{**row, "occurred_at": "2019-12-31T00:00:00Z"}]},
            headers={"Authorization": f"Bearer {key}"},
        ).json()
    assert body["accepted"] == 0 and "accepted 2020-01-01 00:00 to" in body["rejected"][0]["reason"]
