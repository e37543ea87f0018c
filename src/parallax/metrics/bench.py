"""Benchmark data for ``parallax bench metrics``: N interactions over 20 routes x 8 weeks, bulk-made.

Each chunk is drawn with numpy as whole columns and written as Parquet files shaped like
``declarations.TABLES`` (for the engines that read files: DuckDB, Spark), then those files are loaded into the
migrated SQLite store (``executemany``, no pydantic, no ORM, plain indexes built once at the end), so both
copies hold the same rows. This measures the metrics, not the ingest: 10 million interactions take minutes
instead of the hour the real ingest would. Both copies are cached under var/bench/ and reused when they
already hold N rows."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parallax.kit.db import make_engine
from parallax.metrics.declarations import TABLES
from parallax.store.migrate import upgrade

ROUTES = tuple(f"R{k:02d}" for k in range(20))
START = datetime(2026, 1, 5)
WEEKS = 8
WORKSPACE = "bench"
KINDS = ("survey_invite", "survey_response", "ticket", "post", "review", "message")
KIND_P = (0.25, 0.15, 0.1, 0.3, 0.1, 0.1)
_US = 1_000_000
_START_US = int((START - datetime(1970, 1, 1)).total_seconds()) * _US
_SQL = {
    "interaction": "INSERT INTO interaction (id, workspace_id, source, external_id, channel, kind, "
    "solicited, direction, occurred_at, received_at, author_email, score_type, score_value, status, "
    "first_response_at, closed_at, invited_at, segments, raw) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'{}','{}')",
    "interaction_segment": "INSERT INTO interaction_segment (interaction_id, key, workspace_id, value) "
    "VALUES (?, ?, ?, ?)",
    "enrichment": "INSERT INTO enrichment (workspace_id, interaction_id, version, current, sentiment_label, "
    "friction, detail, model_versions, created_at) VALUES (?, ?, 'bench', 1, ?, ?, '{}', '{}', ?)",
}


@dataclass(frozen=True)
class BenchData:
    """The same N interactions as a SQLite store and as one Parquet file per declared table."""

    store: Path
    tables: Path


def bench_data(root: Path, n: int, seed: int = 0, chunk: int = 200_000, store: bool = True) -> BenchData:
    """Both copies of ``n`` interactions under ``root``, each cached (rebuilt only when its count differs).

    The Parquet twin is drawn first (seconds per million rows); the store is loaded from it, so the two
    hold the same rows and a columnar engine can be timed while the slower store load is still to come.
    """
    data = BenchData(root / f"metrics-{n}.sqlite", root / f"metrics-{n}-parquet")
    if _parquet_rows(data.tables) != n:
        _write_parquet(data.tables, n, seed, chunk)
    if store and _count(data.store) != n:
        _load_store(data, chunk)
    return data


def _write_parquet(out: Path, n: int, seed: int, chunk: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "interaction.parquet").unlink(missing_ok=True)  # the count marks a finished copy: it goes last
    writers = {
        name: pq.ParquetWriter(
            out / f"{name}.{'part' if name == 'interaction' else 'parquet'}", _schema(name)
        )
        for name in TABLES
    }
    rng = np.random.default_rng(seed)
    try:
        for first in range(0, n, chunk):
            for name, table in columns(rng, first, min(chunk, n - first)).items():
                writers[name].write_table(table)
    finally:
        for writer in writers.values():
            writer.close()
    (out / "interaction.part").rename(out / "interaction.parquet")


def _load_store(data: BenchData, chunk: int) -> None:
    con = _fresh_store(data.store)
    indexes = _drop_secondary_indexes(con)
    files = {name: pq.ParquetFile(data.tables / f"{name}.parquet") for name in _SQL}
    batches = {name: f.iter_batches(batch_size=chunk) for name, f in files.items()}
    for name in _SQL:  # one table at a time: the enrichment rows are not aligned with the interactions'
        for batch in batches[name]:
            _insert(con, name, pa.Table.from_batches([batch]))
    for sql in indexes:
        con.execute(sql)
    con.commit()
    con.close()


def columns(rng: np.random.Generator, first: int, size: int) -> dict[str, pa.Table]:
    """One chunk of interactions (ids from ``first + 1``), their route segment and their enrichment."""
    kinds = rng.choice(len(KINDS), size=size, p=KIND_P)
    route = rng.integers(0, len(ROUTES), size)
    seconds = rng.integers(0, WEEKS * 7 * 86400, size)
    # a few routes do worse: lower scores, more negative posts (something for the gap to find)
    bad = (route % 7 == 3).astype(float)
    score = np.clip(np.round(rng.normal(4.1 - 1.2 * bad, 1.0)), 1, 5)
    customer = rng.integers(0, max(size // 4, 1), size)
    close_h = rng.lognormal(3.0, 1.0, size)
    ids = np.arange(first + 1, first + size + 1, dtype=np.int64)
    survey = kinds <= 1
    ticket = kinds == 2
    closed = ticket & (close_h < 200)
    at = _START_US + seconds * _US
    interaction = {
        "id": ids,
        "workspace_id": _repeat(WORKSPACE, size),
        "source": _repeat("bench", size),
        "external_id": pc.binary_join_element_wise("b", pa.array(ids - 1).cast(pa.string()), ""),
        "channel": pa.array(np.where(survey, "survey", "email")),
        "kind": pa.array(np.asarray(KINDS)[kinds]),
        "solicited": survey,
        "direction": _repeat("inbound", size),
        "occurred_at": _timestamps(at),
        "author_email": pc.binary_join_element_wise(
            "c", pa.array(customer).cast(pa.string()), "@bench.example", ""
        ),
        "author_handle": pa.nulls(size, pa.string()),
        "customer_id": pa.nulls(size, pa.int64()),
        "score_type": pa.array(np.full(size, "csat"), mask=kinds != 1),
        "score_value": pa.array(score, mask=kinds != 1),
        "status": pa.array(np.where(closed, "solved", "open"), mask=~ticket),
        "first_response_at": _timestamps(at + 3600 * _US, ~ticket),
        "closed_at": _timestamps(at + np.round(close_h * 3600 * _US).astype(np.int64), ~closed),
        "invited_at": _timestamps(at, ~survey),
    }
    voice = np.flatnonzero(kinds >= 3)
    negative = rng.random(voice.size) < 0.25 + 0.35 * bad[voice]
    enrichment = {
        "interaction_id": ids[voice],
        "workspace_id": _repeat(WORKSPACE, voice.size),
        "current": np.ones(voice.size, dtype=bool),
        "sentiment_label": pa.array(np.where(negative, "negative", "positive")),
        "friction": negative.astype(float),
        "repeated_effort": pa.nulls(voice.size, pa.bool_()),
    }
    segment = {
        "interaction_id": ids,
        "key": _repeat("route", size),
        "workspace_id": _repeat(WORKSPACE, size),
        "value": pa.array(np.asarray(ROUTES)[route]),
    }
    made = {"interaction": interaction, "interaction_segment": segment, "enrichment": enrichment}
    tables = {name: pa.table(cols, schema=_schema(name)) for name, cols in made.items()}
    return tables | {"customer": _schema("customer").empty_table()}


def _insert(con: sqlite3.Connection, name: str, table: pa.Table) -> None:
    """Write rows of one table in the store's own text forms (timestamps as SQLAlchemy writes them)."""
    if name == "interaction_segment":
        con.executemany(_SQL[name], zip(*(table[c].to_pylist() for c in table.column_names), strict=True))
        return
    if name == "enrichment":
        created = [str(START) + ".000000"] * table.num_rows
        cols = ("workspace_id", "interaction_id", "sentiment_label", "friction")
        con.executemany(_SQL[name], zip(*(table[c].to_pylist() for c in cols), created, strict=True))
        return
    text = {c: _text(table[c]) for c in ("occurred_at", "first_response_at", "closed_at", "invited_at")}
    head = [table[c].to_pylist() for c in ("id", "workspace_id", "source", "external_id", "channel", "kind")]
    tail = [table[c].to_pylist() for c in ("author_email", "score_type", "score_value", "status")]
    con.executemany(
        _SQL[name],
        zip(
            *head,
            pc.cast(table["solicited"], pa.int8()).to_pylist(),
            table["direction"].to_pylist(),
            text["occurred_at"],
            text["occurred_at"],  # received_at
            *tail,
            text["first_response_at"],
            text["closed_at"],
            text["invited_at"],
            strict=True,
        ),
    )


def _fresh_store(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-512000")  # 500 MB: the unique index stays in memory while it grows
    con.execute("INSERT INTO workspace (id, name, created_at) VALUES (?, ?, ?)", (WORKSPACE, "Bench", START))
    return con


def _drop_secondary_indexes(con: sqlite3.Connection) -> list[str]:
    """Drop the plain indexes of the loaded tables and return their SQL: one sort at the end is faster
    than keeping them up to date row by row (the unique ones stay, they are constraints)."""
    found = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('interaction', 'interaction_segment', 'enrichment')"
    ).fetchall()
    for name, _ in found:
        con.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _schema(name: str) -> pa.Schema:
    return TABLES[name].schema().to_pyarrow()


def _repeat(value: str, size: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(np.zeros(size, dtype=np.int32), [value]).cast(pa.string())


def _timestamps(us: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(us, type=pa.timestamp("us"), mask=missing)


def _text(column: pa.ChunkedArray) -> list[str | None]:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` or None; numpy formats a million in a fraction of Arrow's time."""
    us = column.combine_chunks()
    missing = us.is_null().to_numpy(zero_copy_only=False)
    values = us.fill_null(0).cast(pa.int64()).to_numpy().astype("datetime64[us]")
    text = np.datetime_as_string(values, unit="us")
    text.view(np.uint32).reshape(text.size, -1)[:, 10] = ord(" ")  # the ISO "T" becomes SQLAlchemy's space
    out = text.astype(object)
    out[missing] = None
    return list(out)


def _count(path: Path) -> int:
    if not path.exists():
        return -1
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM interaction").fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def _parquet_rows(tables: Path) -> int:
    path = tables / "interaction.parquet"
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else -1
