"""Plain helpers for ingest tests: write small files, run an import, count what is stored."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.importer import ImportOptions, ImportSummary, import_file
from parallax.ingest.mapping import load_mapping
from parallax.store.models import Interaction


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(
    path: Path,
    mapping: str,
    factory: sessionmaker[Session],
    workspace: str = "acme",
    **options: Any,
) -> ImportSummary:
    return import_file(path, load_mapping(mapping), factory, workspace, ImportOptions(**options))


def stored(factory: sessionmaker[Session], workspace: str = "acme") -> list[Interaction]:
    with factory() as session:
        query = select(Interaction).where(Interaction.workspace_id == workspace).order_by(Interaction.id)
        return list(session.scalars(query))


def count(factory: sessionmaker[Session], workspace: str = "acme") -> int:
    with factory() as session:
        query = select(func.count()).select_from(Interaction).where(Interaction.workspace_id == workspace)
        return int(session.scalar(query) or 0)


TICKET_HEADER = [
    "ticket_id", "customer_email", "channel", "created_at", "first_response_at", "closed_at", "status",
    "csat", "subject", "description", "queue", "agent", "route", "loyalty_tier",
]  # fmt: skip


def ticket_row(number: int, **change: Any) -> list[Any]:
    row = {
        "ticket_id": f"T{number}",
        "customer_email": f"c{number}@example.com",
        "channel": "email",
        "created_at": "2026-01-05T10:00:00Z",
        "first_response_at": "2026-01-05T11:30:00Z",
        "closed_at": "2026-01-06T09:00:00Z",
        "status": "solved",
        "csat": "4",
        "subject": "Bag lost",
        "description": "My bag did not arrive on PX123.",
        "queue": "baggage",
        "agent": "agent-7",
        "route": "JFK-LAX",
        "loyalty_tier": "gold",
    }
    row.update(change)
    return [row[name] for name in TICKET_HEADER]
