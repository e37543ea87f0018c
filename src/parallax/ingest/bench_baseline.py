"""The import path as first written, kept only so ``parallax bench ingest`` can report a same-process ratio.

Same reader and mapping as the real importer, but every row validated by ``InteractionIn.model_validate``
and inserted through the ORM's bulk ``insert(...).on_conflict_do_nothing().returning(...)``, one batch
after another on one thread. The shared machine's load moves absolute rows/s a lot; the ratio between two
runs in the same process, on the same file and database engine, moves much less.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parallax.ingest.engine import Mapper
from parallax.ingest.mapping import load_mapping
from parallax.ingest.readers import read_chunks
from parallax.ingest.record import InteractionIn
from parallax.kit.clock import utcnow
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.store.interactions import INTERACTION_FIELDS
from parallax.store.migrate import upgrade
from parallax.store.models import Interaction, InteractionSegment
from parallax.store.workspaces import ensure_workspace


def baseline_seconds(csv_path: Path, url: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, rows inserted) for the first-version import of ``csv_path``."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    mapper = Mapper(load_mapping("tickets"), "bench-baseline")
    with factory() as session:
        ensure_workspace(session, "bench")
        session.commit()
    inserted = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for chunk in read_chunks(csv_path, "csv", 1000):
        mapped = [mapper.map_row(row)[0] for row in chunk.rows]
        good = [InteractionIn.model_validate(row).model_dump() for row in mapped if row is not None]
        with factory() as session:
            inserted += _orm_insert(session, "bench", good)
            session.commit()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return wall, cpu, inserted


def _orm_insert(session: Session, workspace_id: str, rows: list[dict[str, Any]]) -> int:
    now = utcnow()
    values: list[dict[str, Any]] = [
        {**{f: row.get(f) for f in INTERACTION_FIELDS}, "workspace_id": workspace_id, "received_at": now}
        for row in rows
    ]
    keys = ["workspace_id", "source", "external_id"]
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(Interaction).on_conflict_do_nothing(index_elements=keys)
    returned = session.execute(
        statement.returning(Interaction.id, Interaction.source, Interaction.external_id), values
    ).all()
    by_key = {(v["source"], v["external_id"]): v for v in values}
    segments = [
        {"interaction_id": rid, "workspace_id": workspace_id, "key": key, "value": str(val)[:200]}
        for rid, source, external_id in returned
        for key, val in by_key[(source, external_id)]["segments"].items()
    ]
    if segments:
        session.execute(insert(InteractionSegment), segments)
    return len(returned)
