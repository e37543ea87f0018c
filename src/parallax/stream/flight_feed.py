"""The flight-status feed on the bus: one message per flight at its scheduled departure, validated, counted
once, and fed to the per-airport ops detector (alerts/flight_status.py, alerts/ops_alerts.py).

Flight-status messages travel on the interactions' subject, marked ``"kind": "flight_status"``: one ordered
stream, one durable consumer and one checkpoint cover both inputs, so the worker's crash and redelivery
story (stream/worker.py) holds for the feed unchanged. A subject of its own would need a second consumer
and a change to existing JetStream streams' configuration.

A message's id is its ``message_id`` when the sender gives one, else the flight and its scheduled departure
(the feed reports each departure once); the same id delivered twice counts once.

Example:
    >>> feed = FlightFeed()
    >>> message = {"kind": "flight_status", "workspace_id": "acme", "flight": "PX200", "origin": "AMS",
    ...            "destination": "LHR", "scheduled": "2026-03-05T07:00:00Z", "status": "cancelled"}
    >>> bad = {**message, "flight": "PX201", "status": "late"}
    >>> alerts, rejected = feed.process([message, message, bad])
    >>> feed.processed, feed.duplicates, [(r.message_id, r.reason[:18]) for r in rejected]
    (1, 1, [('acme|flight-status|PX201@2026-03-05T07:00:00Z', 'status: Input shou')])
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from parallax.alerts.flight_status import FlightStatus
from parallax.alerts.ops_alerts import SOURCE, FlightStatusEngine, OpsAlert
from parallax.kit.clock import to_naive_utc
from parallax.kit.pickled import dump, load_as

KIND = "flight_status"
_IATA = r"^[A-Z]{3}$"


class FlightStatusMessage(BaseModel):
    """One flight as the feed reports it; times with a zone are read as UTC, naive ones taken as UTC."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind: Literal["flight_status"] = "flight_status"  # KIND
    workspace_id: str = Field(min_length=1, max_length=100)
    message_id: str | None = Field(default=None, min_length=1, max_length=200)
    flight: str = Field(min_length=1, max_length=20)
    origin: str = Field(pattern=_IATA)
    destination: str = Field(pattern=_IATA)
    scheduled: datetime  # scheduled departure
    status: Literal["scheduled", "delayed", "cancelled"]
    delay_min: float = Field(default=0.0, ge=0.0, le=7 * 24 * 60)

    def to_status(self) -> FlightStatus:
        return FlightStatus(
            self.workspace_id,
            self.flight,
            self.origin,
            self.destination,
            to_naive_utc(self.scheduled),
            self.delay_min,
            self.status == "cancelled",
        )


def is_flight_status(payload: dict[str, Any]) -> bool:
    return payload.get("kind") == KIND


def message_key(payload: dict[str, Any]) -> str:
    """The message's id, from the raw payload (a malformed message still needs one to be acknowledged)."""
    own = payload.get("message_id") or f"{payload.get('flight')}@{payload.get('scheduled')}"
    return f"{payload.get('workspace_id')}|{SOURCE}|{own}"


@dataclass(frozen=True)
class Rejected:
    """A message the feed could not read: reported and skipped, never fed to the detector."""

    message_id: str
    reason: str


@dataclass
class FlightFeed:
    """The ops detector plus the ids it has counted (a bounded FIFO, like the complaint engine's); its
    pickle is the feed's part of the worker checkpoint."""

    engine: FlightStatusEngine = field(default_factory=FlightStatusEngine)
    dedupe_capacity: int = 200_000
    processed: int = 0
    duplicates: int = 0
    _seen: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def process(self, payloads: list[dict[str, Any]]) -> tuple[list[OpsAlert], list[Rejected]]:
        statuses, rejected = [], []
        for payload in payloads:
            key = message_key(payload)
            if key in self._seen:
                self.duplicates += 1
                continue
            try:
                status = FlightStatusMessage.model_validate(payload).to_status()
            except ValidationError as exc:
                rejected.append(Rejected(key, _first_error(exc)))
                continue
            self._remember(key)
            statuses.append(status)
        self.processed += len(statuses)
        return self.engine.process_batch(statuses), rejected

    def _remember(self, key: str) -> None:
        self._seen[key] = None
        if len(self._seen) > self.dedupe_capacity:
            self._seen.popitem(last=False)

    def checkpoint(self) -> bytes:
        return dump(self)

    @staticmethod
    def restore(blob: bytes) -> FlightFeed:
        return load_as(blob, FlightFeed)


def read_flights_csv(path: Path, workspace_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Bus messages from a CSV with a header ``flight,origin,destination,scheduled,status,delay_min`` (and
    optionally ``message_id``), in file order; rows that fail validation come back as ``line N: reason``."""
    messages, errors = [], []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            fields = {k: v for k, v in row.items() if k and v not in (None, "")}
            try:
                message = FlightStatusMessage.model_validate({**fields, "workspace_id": workspace_id})
            except ValidationError as exc:
                errors.append(f"line {line}: {_first_error(exc)}")
                continue
            messages.append(message.model_dump(mode="json", exclude_none=True))
    return messages, errors


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "message"
    return f"{where}: {error['msg']}"
