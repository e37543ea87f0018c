"""The column path must store exactly what the row path (the reference) stores, and reject the same rows.

Each test imports one file twice into the same database: workspace ``acme`` through the column path (the
default), workspace ``other`` with ``columnar=False``; then compares the summaries, the rejects files byte
for byte, every stored column as the database holds it (DATETIME and JSON text included) and the segment
rows. The files are messy on purpose: blank and padded cells, every timestamp form, bad values, repeated
keys inside and across batches, unknown columns, non-ASCII text.
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_factories import TICKET_HEADER, run, ticket_row, write_csv
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.window import DateBounds

STORED = (
    "source, external_id, channel, kind, solicited, direction, occurred_at, author_handle, author_email, "
    "author_phone, author_name, loyalty_id, booking_ref, text, score_type, score_value, ticket_id, status, "
    "first_response_at, closed_at, in_reply_to, invited_at, CAST(segments AS TEXT), CAST(raw AS TEXT)"
)


def _stored(factory: sessionmaker[Session], workspace: str) -> tuple[list[Any], list[Any]]:
    with factory() as session:
        rows = session.execute(
            text(f"SELECT {STORED} FROM interaction WHERE workspace_id = :w ORDER BY id"), {"w": workspace}
        ).all()
        segments = session.execute(
            text(
                'SELECT i.source, i.external_id, s."key", s."value" FROM interaction_segment s '
                "JOIN interaction i ON i.id = s.interaction_id WHERE s.workspace_id = :w "
                'ORDER BY i.id, s."key"'
            ),
            {"w": workspace},
        ).all()
    return [tuple(r) for r in rows], [tuple(s) for s in segments]


def assert_same_as_reference(
    tmp_path: Path,
    factory: sessionmaker[Session],
    path: Path,
    mapping: str,
    batch_size: int = 4,
    **options: Any,
) -> Any:
    fast = run(
        path, mapping, factory, "acme", batch_size=batch_size, rejects_path=tmp_path / "fast.csv", **options
    )
    slow = run(
        path,
        mapping,
        factory,
        "other",
        batch_size=batch_size,
        rejects_path=tmp_path / "slow.csv",
        columnar=False,
        **options,
    )
    keys = ("rows", "inserted", "duplicates", "rejected", "batches", "errors_by_field")
    assert {k: getattr(fast, k) for k in keys} == {k: getattr(slow, k) for k in keys}
    assert (fast.rejects_path is None) == (slow.rejects_path is None)
    if fast.rejects_path is not None:
        assert (tmp_path / "fast.csv").read_text() == (tmp_path / "slow.csv").read_text()
    assert _stored(factory, "acme") == _stored(factory, "other")
    return fast


TIMES = [
    "2026-01-05T10:00:00Z", "2026-01-05T10:00:00+05:30", "2026-01-05 10:00:00", "2026-01-05T10:00:00.123Z",
    "2026-01-05T10:00:00.5-08:00", "2026-01-05", " 2026-01-05T10:00:00Z ", "yesterday",
    "2026-01-05T10:00:00-00:00", "2026-01-05T23:59:59.999999+23:59", "0999-01-01T00:00:00Z",
    "2026-01-05T10:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "9999-12-31T23:59:59-05:00", "",
]  # fmt: skip
MESSY = {
    "ticket_id": ["T1", " T2 ", "12.0", "T3", "x" * 201, "", "T1"],
    "customer_email": ["a@example.com", "", "  ", " b@example.com ", "é@exämple.com"],
    "channel": ["email", "EMAIL", " chat ", "", "fax", "whatsapp", "   "],
    "created_at": TIMES,
    "first_response_at": TIMES,
    "closed_at": [*TIMES, "2025-01-01T00:00:00Z"],
    "status": ["solved", "", "  pending", "x" * 41],
    "csat": ["4", "", "9", "lots", "4.5", " 3 ", "0", "nan", "5.0"],
    "subject": ["Bag lost", "", "Refund 😀", '"quoted", comma'],
    "description": ["Line one\nline two", "", "  ", "Ünïcode ✈"],
    "queue": ["baggage", "", "  refunds ", "ünï"],
    "agent": ["agent-7", "", "   "],
    "route": ["JFK-LAX", "😀-LHR", ""],
    "loyalty_tier": ["gold", " silver", ""],
}


def test_messy_tickets_store_the_same_rows(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    rng = random.Random(7)
    header = [*TICKET_HEADER, "extra"]
    rows = [
        [rng.choice(MESSY[name]) if name != "ticket_id" else f"T{i % 150}" for name in TICKET_HEADER]
        + [rng.choice(["", "kept", " ", "ünï"])]
        for i in range(200)
    ]
    rows += [[*ticket_row(1000 + i, ticket_id=rng.choice(MESSY["ticket_id"])), ""] for i in range(30)]
    path = write_csv(tmp_path / "tickets.csv", header, rows)
    summary = assert_same_as_reference(tmp_path, session_factory, path, "tickets", batch_size=37)
    assert summary.inserted > 20 and summary.rejected > 20 and summary.duplicates > 5


def test_timestamps_outside_the_date_window_are_rejected_alike(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    rng = random.Random(11)
    times = [
        *TIMES,
        "2099-01-01T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "2026-03-12T11:59:59Z",
        "2026-03-12 12:00:01",
    ]
    rows = [
        ticket_row(i, created_at=rng.choice(times), first_response_at=rng.choice(times), closed_at="")
        for i in range(120)
    ]
    path = write_csv(tmp_path / "tickets.csv", TICKET_HEADER, rows)
    window = DateBounds().at(datetime(2026, 3, 10, 12, 0))
    summary = assert_same_as_reference(
        tmp_path, session_factory, path, "tickets", batch_size=23, window=window
    )
    assert summary.inserted > 10 and summary.rejected > 40
    reasons = (tmp_path / "fast.csv").read_text()
    assert "is too far in the future" in reasons and "is before the earliest accepted date" in reasons


def test_a_clean_file_is_stored_without_the_row_path(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = write_csv(tmp_path / "t.csv", TICKET_HEADER, [ticket_row(i) for i in range(50)])
    summary = assert_same_as_reference(tmp_path, session_factory, path, "tickets", batch_size=16)
    assert (summary.inserted, summary.rejected) == (50, 0)
    again = run(path, "tickets", session_factory, batch_size=16)
    assert (again.inserted, again.duplicates) == (0, 50)
    assert len(_stored(session_factory, "acme")[1]) == 50 * 4


def test_a_malformed_record_switches_readers_on_both_paths(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = write_csv(tmp_path / "t.csv", TICKET_HEADER, [ticket_row(i) for i in range(12)])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("T99,short,row\n")
        handle.write(",".join(ticket_row(100)) + "\n")
    summary = assert_same_as_reference(tmp_path, session_factory, path, "tickets", batch_size=5)
    assert (summary.inserted, summary.rejected) == (13, 1)


SURVEY = (
    ["response_id", "respondent", "email", "score_type", "score", "comment", "invited_at", "submitted_at",
     "route", "airport", "disrupted", "cancelled", "ticket_opened"],
    [["R1", "Ann", "a@x.com", "csat", "5", "great", "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "JFK-LAX",
      "JFK", "true", "0", "yes"],
     ["R2", "Bo", "", "nps", "", "", "2026-01-01T10:00:00Z", "", "", "", "1", "FALSE", ""],
     ["R3", "", "", "NPS", "11", "", "2026-01-01T10:00:00+01:00", "", "", "", "maybe", "", ""],
     ["R4", "", "", "ces", "3", " ok ", "bad", "2026-01-03 08:00:00", "", "LHR", "", "", "x"],
     ["R5", "", "", "", "4", "", "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "", "", "", "", ""]],
)  # fmt: skip
REVIEWS = (
    ["review_id", "author", "stars", "title", "text", "date", "platform", "route"],
    [["V1", "Ann", "5", "Great", "Loved it", "2026-01-01T00:00:00Z", "app_store", "JFK-LAX"],
     ["V2", "", "", "", "", "2026-01-01", "TripAdvisor", ""],
     ["V3", "Bo", "6", "Bad", "", "2026-01-01T00:00:00Z", "google", ""],
     ["V4", "", "2", "", "meh", "2026-01-01T00:00:00Z", "somewhere", " LHR "],
     ["V5", "", "1", "t", "", "2026-01-01T00:00:00Z", "", ""]],
)  # fmt: skip
SUPPORT = (
    ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
     "in_response_to_tweet_id"],
    [["1", "sprintcare", "False", "Tue Oct 31 22:10:47 +0000 2017", "@115712 hi", "2", "3.0"],
     ["2", "115712", "True", "Tue Oct 31 22:11:45 +0000 2017", "help", "", ""],
     ["3", " AppleSupport ", "FALSE", "Tue Oct 31 22:08:27 +0000 2017", "x", "", "1"],
     ["4", "115713", "maybe", "not a date", "y", "", ""],
     ["5", "115714", "True", "2017-10-31T22:10:47Z", "z", "", ""]],
)  # fmt: skip
CFPB = (
    ["Complaint ID", "Date received", "Consumer complaint narrative", "Company response to consumer",
     "Timely response?", "Product", "Sub-product", "State", "Company", "Submitted via", "Issue"],
    [["10", "2023-05-01", "They lost it", "Closed with explanation", "Yes", "Card", "", "NY", "Bank", "Web",
      "Fees"],
     ["11", "05/01/2023", "", "In progress", "No", "Loan", "Auto", "", "Bank", "Phone", ""],
     ["12", "2023-05-02", "", "Something new", "maybe", "Card", "", "CA", "", "", "x"]],
)  # fmt: skip


@pytest.mark.parametrize(
    ("mapping", "table"),
    [("survey", SURVEY), ("reviews", REVIEWS), ("support-tweets", SUPPORT), ("cfpb", CFPB)],
)
def test_builtin_mappings_store_the_same_rows(
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    workspace: str,
    mapping: str,
    table: tuple[list[str], list[list[str]]],
) -> None:
    path = write_csv(tmp_path / f"{mapping}.csv", *table)
    assert_same_as_reference(tmp_path, session_factory, path, mapping, batch_size=2)


CALLS_MAPPING = """
name: calls
source: call-center
fields:
  external_id: {hash: [agent, started]}
  channel: {value: phone}
  kind: {value: call_summary}
  occurred_at: {column: started, timestamp: "%d/%m/%Y %H:%M"}
  text: {template: "{summary} (agent {agent})"}
  author_phone: caller
  direction: {column: way, map: {in: inbound, out: outbound}, default: inbound}
  raw.question: {column: summary}
  status: note
rules:
  - when: {equals: {escalated: "Y"}, present: agent}
    set: {status: escalated, segments.team: {column: agent}, raw.question: null, solicited: {value: "yes"}}
  - when: {missing: caller}
    set: {direction: outbound, score_type: stars, score_value: {column: stars}}
segments:
  queue: queue
  team: {column: team, default: none}
ignore: [internal_code]
"""


def test_a_user_mapping_with_templates_hashes_and_rules_stores_the_same_rows(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    header = ["agent", "started", "summary", "caller", "way", "escalated", "stars", "queue", "team",
              "internal_code", "note"]  # fmt: skip
    rows = [
        ["ann", "01/02/2026 10:00", "lost bag", "+1555", "in", "Y", "", "bags", "", "X1", "n1"],
        ["bob", "01/02/2026 11:00", "", "", "OUT", "n", "4", " ", "red", "X2", ""],
        ["", "01/02/2026 12:00", "refund", "", "", "y", "9", "", "", "", "n3"],
        ["cy", "2026-02-01", "late", "+1556", "sideways", "", "", "q", "blue ", "", ""],
        ["ann", "01/02/2026 10:00", "again", "+1555", "in", "", "", "", "", "", ""],
        ["dan", "bad time", "x", "+1557", "in", "Y", "", "", "", "", "the original note"],
        ["eve", "01/02/2026 13:00", "y", "+1558", "in", "Y", "", "", "", "", "another note"],
    ]
    path = write_csv(tmp_path / "calls.csv", header, rows)
    mapping = tmp_path / "calls.yaml"
    mapping.write_text(CALLS_MAPPING)
    assert_same_as_reference(tmp_path, session_factory, path, str(mapping), batch_size=3)


SUPPORT_SAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared/data/customer-support-tweets/kaggle_sample.csv"
)


@pytest.mark.skipif(not SUPPORT_SAMPLE.exists(), reason=f"{SUPPORT_SAMPLE} is not here (../shared/data)")
def test_real_support_tweets_store_the_same_rows(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    summary = assert_same_as_reference(tmp_path, session_factory, SUPPORT_SAMPLE, "support-tweets", 40)
    assert summary.inserted == summary.rows > 50
