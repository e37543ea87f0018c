"""Closed but not resolved against a simulated world's truth: what was flagged, what the simulator closed
without fixing, and how much of that the customers ever said (a rule that reads customers can find no more).

Truth is read here only to score, never by the rule (``unresolved.py``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from parallax.identity.unresolved import DEFAULT_WINDOW, LOW_RATING


@dataclass(frozen=True)
class FlagScore:
    """Tickets flagged closed but not resolved against truth/tickets.csv; ``said``: those of the truly
    unresolved tickets the customer rated low or wrote about again within the window after closing."""

    flagged: int
    truth: int
    hits: int
    said: int = 0
    said_hits: int = 0

    @property
    def precision(self) -> float:
        return self.hits / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.truth if self.truth else 1.0

    @property
    def recall_of_said(self) -> float:
        return self.said_hits / self.said if self.said else 1.0


def true_closed_unresolved(sim_dir: Path) -> set[str]:
    """The tickets the simulator closed without fixing the customer's problem."""
    return {
        row["ticket_id"]
        for row in _rows(sim_dir / "truth" / "tickets.csv")
        if row["closed_unresolved"] == "true"
    }


def said_unresolved(sim_dir: Path, window: timedelta = DEFAULT_WINDOW) -> set[str]:
    """The truly unresolved tickets whose customer said so: a rating of 1-2, or a message or review about the
    same trip within ``window`` after closing (truth/interactions.csv names each record's trip)."""
    truth = {
        r["ticket_id"]: r
        for r in _rows(sim_dir / "truth" / "tickets.csv")
        if r["closed_unresolved"] == "true"
    }
    export = {r["ticket_id"]: r for r in _rows(sim_dir / "tickets.csv")}
    said = {t for t in truth if export[t]["csat"] and float(export[t]["csat"]) <= LOW_RATING}
    trip_of = {r["id"]: r["trip_id"] for r in _rows(sim_dir / "truth" / "interactions.csv") if r["trip_id"]}
    by_trip = {r["trip_id"]: t for t, r in truth.items()}
    for record_id, at in _voice(sim_dir):
        ticket = by_trip.get(trip_of.get(record_id, ""))
        if ticket is not None:
            closed = _time(export[ticket]["closed_at"])
            if closed < at <= closed + window:
                said.add(ticket)
    return said


def score_flags(flagged: Iterable[str], truth: set[str], said: set[str] | None = None) -> FlagScore:
    found = set(flagged)
    said = said or set()
    return FlagScore(len(found), len(truth), len(found & truth), len(said), len(found & said))


def score_world(flagged: Iterable[str], sim_dir: Path) -> FlagScore:
    return score_flags(flagged, true_closed_unresolved(sim_dir), said_unresolved(sim_dir))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _voice(sim_dir: Path) -> Iterator[tuple[str, datetime]]:
    """(record id, time) of every social message and review."""
    with (sim_dir / "social.jsonl").open() as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                yield row["external_id"], _time(row["occurred_at"])
    for row in _rows(sim_dir / "reviews.csv"):
        yield row["review_id"], _time(row["date"])


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
