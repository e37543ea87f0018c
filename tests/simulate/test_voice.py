"""The outside view: the storm brings complaints, people repeat, and identities differ by channel."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from simulate_files import read_csv, read_jsonl

from parallax.simulate import World
from parallax.simulate.network import CITY


def _hours(text: str, start: str) -> float:
    return (datetime.fromisoformat(text[:-1]) - datetime.fromisoformat(start[:-1])).total_seconds() / 3600


def test_the_disruption_raises_complaint_volume(out: Path, summary: dict[str, Any]) -> None:
    storm = summary["disruption"]
    begin, end = _hours(storm["start"], summary["start"]), _hours(storm["end"], summary["start"]) + 12
    horizon = summary["days"] * 24
    inside = outside = 0
    for row in read_jsonl(out / "social.jsonl"):
        at = _hours(row["occurred_at"], summary["start"])
        if begin <= at < end:
            inside += 1
        elif at < horizon:
            outside += 1
    rate_in, rate_out = inside / (end - begin), outside / (horizon - (end - begin))
    assert rate_in > 2 * rate_out


def test_people_repeat_themselves(out: Path) -> None:
    texts = [row["text"].lower() for row in read_jsonl(out / "social.jsonl")]
    for signal in ("still waiting", "time", "something different", "no updates"):
        assert any(signal in text for text in texts), signal
    assert any("closed" in text or "solved" in text for text in texts)


def test_identities_differ_across_channels(out: Path) -> None:
    who = {(r["file"], r["id"]): r["customer_id"] for r in read_csv(out / "truth" / "interactions.csv")}
    shown: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_jsonl(out / "social.jsonl"):
        person = who[("social.jsonl", row["external_id"])]
        for key in ("author_handle", "author_email", "author_phone"):
            if row.get(key):
                shown[person][row["channel"]].add(row[key])
    multi = {p: chans for p, chans in shown.items() if len(chans) >= 2}
    assert len(multi) >= 10
    disjoint = sum(1 for chans in multi.values() if not set.intersection(*chans.values()))
    assert disjoint >= 0.5 * len(multi)


def test_identities_file_covers_every_author(out: Path) -> None:
    known = {(r["kind"], r["value"]): r["customer_id"] for r in read_csv(out / "truth" / "identities.csv")}
    who = {(r["file"], r["id"]): r["customer_id"] for r in read_csv(out / "truth" / "interactions.csv")}
    kinds = {"author_handle": "handle", "author_email": "email", "author_phone": "phone"}
    for row in read_jsonl(out / "social.jsonl"):
        for key, kind in kinds.items():
            if row.get(key):
                assert known[(kind, row[key])] == who[("social.jsonl", row["external_id"])]
    for row in read_csv(out / "tickets.csv"):
        assert known[("email", row["customer_email"])] == who[("tickets.csv", row["ticket_id"])]


def test_some_links_are_shared_and_some_are_only_names(world: World, out: Path) -> None:
    rows = read_jsonl(out / "social.jsonl")
    booking_emails = set(world.customers.email)
    assert any(r.get("author_email") in booking_emails for r in rows if r["channel"] in ("chat", "email"))
    assert any(r.get("author_email") and r["author_email"] not in booking_emails for r in rows)
    assert any(r.get("author_phone") for r in rows)
    assert any(set(r) & {"author_email", "author_phone", "author_handle"} == set() for r in rows)


def test_some_tickets_close_while_the_customer_keeps_complaining(out: Path, summary: dict[str, Any]) -> None:
    truth = {r["ticket_id"]: r for r in read_csv(out / "truth" / "tickets.csv")}
    closed = {r["ticket_id"]: r["closed_at"] for r in read_csv(out / "tickets.csv") if r["closed_at"]}
    later = [
        row
        for row in read_jsonl(out / "social.jsonl")
        if row.get("ticket_id") in closed and row["occurred_at"] > closed[row["ticket_id"]]
    ]
    assert later
    assert all(truth[row["ticket_id"]]["resolved"] == "false" for row in later)
    assert summary["tickets"]["n_closed_unresolved"] > 0


def test_segments_only_tag_what_the_text_reveals(out: Path) -> None:
    tagged = 0
    for row in read_jsonl(out / "social.jsonl"):
        text, segments = row["text"].upper(), row["segments"]
        if "flight_number" in segments:
            assert segments["flight_number"] in text
        if "airport" in segments:
            assert segments["airport"] in text
        if "route" in segments:
            origin, destination = segments["route"].split("-")
            by_code = origin in text and destination in text
            assert by_code or (CITY[origin].upper() in text and CITY[destination].upper() in text)
        tagged += bool(segments)
    assert tagged > 0
