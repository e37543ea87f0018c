"""The exports follow notes/FORMATS.md column for column, and canonical rows pass the ingest validator."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from simulate_files import read_csv, read_jsonl

from parallax.ingest.record import InteractionIn

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SURVEY_FORMAT = [
    "response_id",
    "respondent",
    "email",
    "score_type",
    "score",
    "comment",
    "invited_at",
    "submitted_at",
    "route",
    "origin",
    "destination",
    "airport",
    "cabin",
    "loyalty_tier",
    "flight_number",
    "trip_date",
    "delay_minutes",
    "disrupted",
]
TICKET_FORMAT = [
    "ticket_id",
    "customer_email",
    "channel",
    "created_at",
    "first_response_at",
    "closed_at",
    "status",
    "csat",
    "subject",
    "description",
    "queue",
    "agent",
    "route",
    "loyalty_tier",
]
REVIEW_FORMAT = ["review_id", "author", "stars", "title", "text", "date", "platform", "route"]


def _when(text: str) -> datetime:
    assert ISO.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("name", ["social.jsonl", "agent_notes.jsonl"])
def test_canonical_rows_validate(out: Path, name: str) -> None:
    rows = read_jsonl(out / name)
    assert rows
    for row in rows:
        record = InteractionIn.model_validate(row)
        assert ISO.match(row["occurred_at"])
        assert not record.solicited
    ids = [row["external_id"] for row in rows]
    assert len(set(ids)) == len(ids)


def test_agent_notes_are_outbound_ticket_notes(out: Path) -> None:
    tickets = {row["ticket_id"] for row in read_csv(out / "tickets.csv")}
    for row in read_jsonl(out / "agent_notes.jsonl"):
        assert (row["kind"], row["channel"], row["direction"]) == ("agent_note", "ticket", "outbound")
        assert row["ticket_id"] in tickets


def test_social_replies_point_to_earlier_posts(out: Path) -> None:
    rows = read_jsonl(out / "social.jsonl")
    seen: dict[str, str] = {}
    for row in rows:
        if row["kind"] == "reply":
            assert row["in_reply_to"] in seen
            assert seen[row["in_reply_to"]] <= row["occurred_at"]
        seen[row["external_id"]] = row["occurred_at"]
    channels = {row["channel"] for row in rows}
    assert {"twitter", "facebook", "chat", "email"} <= channels


def test_surveys_follow_the_format(out: Path) -> None:
    rows = read_csv(out / "surveys.csv")
    assert list(rows[0])[: len(SURVEY_FORMAT)] == SURVEY_FORMAT
    assert len({row["response_id"] for row in rows}) == len(rows)
    answered = 0
    for row in rows:
        invited = _when(row["invited_at"])
        if row["score"] == "":
            assert row["submitted_at"] == "" and row["comment"] == "" and row["score_type"] == "csat"
            continue
        answered += 1
        assert _when(row["submitted_at"]) >= invited
        low, high = (1, 5) if row["score_type"] == "csat" else (0, 10)
        assert low <= int(row["score"]) <= high
        assert row["disrupted"] in ("true", "false")
        assert row["route"] == f"{row['origin']}-{row['destination']}"
    assert 0 < answered < len(rows)
    assert {row["score_type"] for row in rows} == {"csat", "nps"}


def test_tickets_follow_the_format(out: Path) -> None:
    rows = read_csv(out / "tickets.csv")
    assert list(rows[0]) == TICKET_FORMAT
    statuses = set()
    for row in rows:
        statuses.add(row["status"])
        assert row["channel"] in ("email", "chat", "phone", "whatsapp")
        created = _when(row["created_at"])
        if row["first_response_at"]:
            assert _when(row["first_response_at"]) >= created
        if row["closed_at"]:
            assert row["status"] in ("solved", "closed")
            assert _when(row["closed_at"]) >= _when(row["first_response_at"])
        else:
            assert row["status"] in ("open", "pending") and row["csat"] == ""
    assert {"solved", "closed"} <= statuses


def test_reviews_follow_the_format(out: Path) -> None:
    rows = read_csv(out / "reviews.csv")
    assert list(rows[0]) == REVIEW_FORMAT
    for row in rows:
        assert 1 <= int(row["stars"]) <= 5
        assert row["platform"] in ("app_store", "tripadvisor", "google")
        _when(row["date"])
    assert {int(row["stars"]) for row in rows} >= {1, 5}
