"""Import guarantees: idempotent re-runs, per-row rejects, crash safety, every reader, user mappings."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_factories import TICKET_HEADER, count, run, stored, ticket_row, write_csv
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest import readers
from parallax.ingest.importer import ImportOptions, ImportSummary, import_file
from parallax.ingest.mapping import load_mapping, parse_mapping
from parallax.kit.errors import NotFound, ValidationFailed
from parallax.store.models import InteractionSegment


def _tickets(tmp_path: Path, n: int) -> Path:
    return write_csv(tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(i) for i in range(n)])


def test_rerun_is_idempotent(tmp_path: Path, session_factory: sessionmaker[Session], workspace: str) -> None:
    path = _tickets(tmp_path, 25)
    first = run(path, "tickets", session_factory, batch_size=10)
    again = run(path, "tickets", session_factory, batch_size=7)
    assert (first.inserted, first.duplicates, first.batches) == (25, 0, 3)
    assert (again.inserted, again.duplicates) == (0, 25)
    assert count(session_factory) == 25
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(InteractionSegment)) == 25 * 4


def test_bad_rows_are_reported_and_good_rows_kept(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    rows = [
        ticket_row(1),
        ticket_row(2, created_at="yesterday"),
        ticket_row(3, csat="9"),
        ticket_row(4, channel="fax", csat="lots"),
        ticket_row(5, closed_at="2026-01-01T00:00:00Z"),
        ticket_row(6),
    ]
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, rows)
    summary = run(path, "tickets", session_factory)
    assert (summary.rows, summary.inserted, summary.rejected) == (6, 2, 4)
    assert [r.external_id for r in stored(session_factory)] == ["T1", "T6"]
    assert summary.rejects_path == tmp_path / "tickets.rejects.csv"
    with summary.rejects_path.open(newline="") as handle:
        rejects = list(csv.DictReader(handle))
    # Row numbers are spreadsheet rows: the header is row 1, so the second record is row 3.
    assert [(r["row"], r["field"]) for r in rejects] == [
        ("3", "created_at"),
        ("4", "csat"),
        ("5", "csat"),
        ("6", "closed_at"),
    ]
    assert "timestamp" in rejects[0]["reason"] and "between 1 and 5" in rejects[1]["reason"]
    assert "not a number" in rejects[2]["reason"] and "closed_at is before" in rejects[3]["reason"]
    assert rejects[0]["ticket_id"] == "T2" and rejects[0]["created_at"] == "yesterday"


def test_rejects_file_can_be_placed_and_is_absent_when_all_rows_pass(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = _tickets(tmp_path, 3)
    summary = run(path, "tickets", session_factory, rejects_path=tmp_path / "out" / "bad.csv")
    assert summary.rejects_path is None and not (tmp_path / "out" / "bad.csv").exists()


class Crash(RuntimeError):
    pass


def _crash_after(batches: int):  # type: ignore[no-untyped-def]
    def on_batch(summary: ImportSummary, _position: int) -> None:
        if summary.batches == batches:
            raise Crash(f"simulated crash after {batches} batches")

    return on_batch


@pytest.mark.parametrize("overlap", [True, False])
def test_crash_midway_then_rerun_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str, overlap: bool
) -> None:
    path = _tickets(tmp_path, 95)
    spec = load_mapping("tickets")
    with pytest.raises(Crash):
        import_file(
            path,
            spec,
            session_factory,
            workspace,
            ImportOptions(batch_size=20, on_batch=_crash_after(2), overlap=overlap),
        )
    assert count(session_factory) == 40  # two committed batches, nothing of the third
    summary = import_file(
        path, spec, session_factory, workspace, ImportOptions(batch_size=20, overlap=overlap)
    )
    assert (summary.inserted, summary.duplicates) == (55, 40)
    assert sorted(r.external_id for r in stored(session_factory)) == sorted(f"T{i}" for i in range(95))


def test_jsonl_broken_lines_are_rejected_with_their_line_number(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    good = '{"external_id": "a", "channel": "chat", "kind": "message", "occurred_at": "2026-01-05T10:00:00Z"}'
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join([good, "{not json", "[1, 2]", "", good.replace('"a"', '"b"')]) + "\n")
    summary = run(path, "parallax", session_factory)
    assert (summary.inserted, summary.rejected) == (2, 2)
    assert summary.rejects_path is not None
    with summary.rejects_path.open(newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["row"], r["field"]) for r in rejects] == [("2", "(line)"), ("3", "(line)")]
    assert rejects[0]["original"] == "{not json"


def test_parquet_with_typed_columns(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    table = pa.table(
        {
            "tweet_id": pa.array([10, 11, 12], pa.int64()),
            "author_id": ["115712", "Delta", "115713"],
            "inbound": [True, False, True],
            "created_at": ["Tue Oct 31 22:08:27 +0000 2017"] * 3,
            "text": ["late", "sorry", "thanks"],
            "in_response_to_tweet_id": pa.array([None, 10.0, 11.0], pa.float64()),
        }
    )
    path = tmp_path / "tweets.parquet"
    pq.write_table(table, path)
    summary = run(path, "support-tweets", session_factory, batch_size=2)
    assert (summary.format, summary.inserted, summary.batches) == ("parquet", 3, 2)
    first, reply, last = stored(session_factory)
    assert (first.external_id, reply.in_reply_to, reply.direction, last.kind) == (
        "10",
        "10",
        "outbound",
        "reply",
    )


def test_a_users_yaml_mapping_with_derived_ids_and_rules(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    mapping = tmp_path / "calls.yaml"
    mapping.write_text(
        """
name: calls
source: call-center
fields:
  external_id: {hash: [agent, started]}
  channel: {value: phone}
  kind: {value: call_summary}
  occurred_at: {column: started, timestamp: "%d/%m/%Y %H:%M"}
  text: {template: "{summary} (agent {agent})"}
  author_phone: caller
rules:
  - when: {equals: {escalated: "Y"}}
    set: {status: escalated, segments.team: {column: agent}}
segments:
  queue: queue
ignore: [internal_code]
"""
    )
    header = ["agent", "started", "summary", "caller", "queue", "escalated", "internal_code", "mood"]
    rows = [
        ["ann", "05/01/2026 10:15", "refund asked", "+15550100", "refunds", "Y", "x1", "angry"],
        ["bob", "05/01/2026 10:20", "seat change", "", "seats", "n", "x2", ""],
    ]
    path = write_csv(tmp_path / "calls.csv", header, rows)
    summary = import_file(path, load_mapping(str(mapping)), session_factory, workspace)
    assert (summary.inserted, summary.source) == (2, "call-center")
    escalated, calm = stored(session_factory)
    assert len(escalated.external_id) == 32 and escalated.external_id != calm.external_id
    assert (escalated.text, escalated.status, escalated.kind) == (
        "refund asked (agent ann)",
        "escalated",
        "call_summary",
    )
    # A column only tested by a rule is stored nowhere else, so it stays in raw like any unknown column.
    assert escalated.segments == {"queue": "refunds", "team": "ann"}
    assert escalated.raw == {"mood": "angry", "escalated": "Y"}
    assert (calm.status, calm.segments, calm.raw) == (None, {"queue": "seats"}, {"escalated": "n"})


def test_source_option_overrides_the_mappings_source(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = _tickets(tmp_path, 2)
    run(path, "tickets", session_factory)
    run(path, "tickets", session_factory, source="zendesk-eu")
    assert sorted({r.source for r in stored(session_factory)}) == ["ticket-export", "zendesk-eu"]
    assert count(session_factory) == 4


def test_invalid_mappings_say_what_is_wrong() -> None:
    with pytest.raises(ValidationFailed, match=r"fields\.external_id is required"):
        parse_mapping("name: x\nsource: s\nfields: {channel: c, kind: k, occurred_at: t}")
    with pytest.raises(ValidationFailed, match="unknown target field 'colour'"):
        parse_mapping("name: x\nsource: s\ncanonical: true\nfields: {colour: c}")
    with pytest.raises(ValidationFailed, match="exactly one of"):
        parse_mapping("name: x\nsource: s\ncanonical: true\nfields: {text: {column: a, value: b}}")
    with pytest.raises(NotFound, match="built-in"):
        load_mapping("no-such-mapping")


@pytest.mark.parametrize("block_bytes", [1 << 22, 400])
def test_csv_records_of_the_wrong_width_are_rejected_and_later_rows_keep_their_numbers(
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    workspace: str,
    monkeypatch: pytest.MonkeyPatch,
    block_bytes: int,
) -> None:
    # Small blocks make pyarrow fail after some batches were already imported: the slower reader that
    # takes over must skip exactly those records.
    monkeypatch.setattr(readers, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "tickets.csv"
    rows = [ticket_row(i) for i in range(12)]
    write_csv(path, TICKET_HEADER, rows)
    lines = path.read_text().splitlines()
    lines[8] = "T-short,only,three"  # record 8 is spreadsheet row 9
    lines[11] = lines[11] + ",extra"  # spreadsheet row 12
    path.write_text("\n".join(lines) + "\n")
    summary = run(path, "tickets", session_factory, batch_size=2)
    assert (summary.rows, summary.inserted, summary.rejected) == (12, 10, 2)
    assert summary.rejects_path is not None
    with summary.rejects_path.open(newline="") as handle:
        rejects = list(csv.reader(handle))[1:]
    assert [(r[0], r[1]) for r in rejects] == [("9", "(row)"), ("12", "(row)")]
    assert rejects[0][2] == "expected 14 cells, found 3" and rejects[0][3:6] == ["T-short", "only", "three"]
    assert rejects[1][-1] == "extra"
    kept = sorted(int(r.external_id[1:]) for r in stored(session_factory))
    assert kept == [0, 1, 2, 3, 4, 5, 6, 8, 9, 11]
