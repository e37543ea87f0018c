"""Interaction repository: idempotent batch insert and filtered, cursor-paginated reads."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain, repeat
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, DateTime, Dialect, Float, Select, select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.store.models import Interaction, InteractionSegment

INTERACTION_FIELDS = (
    "source",
    "external_id",
    "channel",
    "kind",
    "solicited",
    "direction",
    "occurred_at",
    "author_handle",
    "author_email",
    "author_phone",
    "author_name",
    "loyalty_id",
    "booking_ref",
    "text",
    "score_type",
    "score_value",
    "ticket_id",
    "status",
    "first_response_at",
    "closed_at",
    "in_reply_to",
    "invited_at",
    "segments",
    "raw",
)


@dataclass(frozen=True)
class InsertResult:
    inserted: int
    duplicates: int
    inserted_ids: tuple[int, ...]
    # The (source, external_id) of each row this call inserted, so callers can pass new rows on.
    inserted_keys: frozenset[tuple[str, str]] = frozenset()


# Rows per INSERT statement: 26 parameters a row stays under SQLite's 32,766 and PostgreSQL's 65,535 limits.
_PAGE = 500
_COLUMNS = ("workspace_id", "received_at", *INTERACTION_FIELDS)


def insert_interactions(session: Session, workspace_id: str, rows: Sequence[dict[str, Any]]) -> InsertResult:
    """Insert validated rows; a row whose (source, external_id) already exists is skipped, not updated.

    Rows are dicts with the keys of INTERACTION_FIELDS (as produced by ``InteractionIn.model_dump()``).
    The statement is a multi-row ``INSERT .. ON CONFLICT DO NOTHING RETURNING`` sent through the driver:
    the ORM's per-row bookkeeping cost more than the database itself (see docs/ingest.md).
    """
    if not rows:
        return InsertResult(0, 0, ())
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"unsupported database dialect {dialect.name}")
    unique = _dedupe_in_batch(rows)
    params = _row_params(dialect, workspace_id, unique)
    insert = _insert_postgres if dialect.name == "postgresql" else _insert_sqlite
    returned = insert(connection, params)
    by_key = {(row["source"], row["external_id"]): row for row in unique}
    segment_rows = [
        (rid, str(key)[:60], workspace_id, str(val)[:200])
        for rid, source, external_id in returned
        for key, val in (by_key[(source, external_id)].get("segments") or {}).items()
    ]
    if segment_rows:
        _insert_segments(connection, dialect.name, segment_rows)
    ids = tuple(sorted(r[0] for r in returned))
    keys = frozenset((source, external_id) for _, source, external_id in returned)
    return InsertResult(len(ids), len(rows) - len(ids), ids, keys)


def insert_interaction_columns(
    session: Session, workspace_id: str, columns: Mapping[str, Sequence[Any]]
) -> InsertResult:
    """``insert_interactions`` for rows given as one list per field of INTERACTION_FIELDS (the file import).

    Same rows, same idempotency (first row with a key wins, stored rows are skipped), no dict a row: SQLite
    gets multi-row pages and fills segment rows from the stored JSON in SQL; PostgreSQL gets the lists as
    its ``unnest`` arrays. Time cells are naive-UTC datetimes or that as ``YYYY-MM-DD HH:MM:SS.ffffff``
    text, and segments and raw dicts or their JSON text (what the column path produces). ``inserted_keys``
    stays empty: the import does not use it."""
    keep = _first_of_each_key(columns["source"], columns["external_id"])
    count = len(columns["source"])
    if not count:
        return InsertResult(0, 0, ())
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"unsupported database dialect {dialect.name}")
    process = dict(_processors(dialect))
    received = process.get(1, lambda value: value)(utcnow())
    if dialect.name == "postgresql":
        process.update((i, _PG_DATETIME) for i in _TIME_INDEXES)
    values = [_column_values(columns[c], keep, process.get(i)) for i, c in enumerate(_COLUMNS) if i > 1]
    insert = _insert_postgres_columns if dialect.name == "postgresql" else _insert_sqlite_columns
    ids = insert(connection, (workspace_id, received), values)
    return InsertResult(len(ids), count - len(ids), ids)


def _first_of_each_key(sources: Sequence[Any], external_ids: Sequence[Any]) -> list[int] | None:
    """Indexes of the first row of each natural key, or None when no key repeats (the usual case)."""
    keys = list(zip(sources, external_ids, strict=True))
    if len(set(keys)) == len(keys):
        return None
    first: dict[tuple[Any, Any], int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    return sorted(first.values())


def _column_values(values: Sequence[Any], keep: list[int] | None, process: Any) -> Sequence[Any]:
    kept = values if keep is None else [values[i] for i in keep]
    if process is _JSON_TEXT:  # a map, or its JSON text already (the column path's json_cells)
        return [value if type(value) is str else _JSON_ONE_SHOT(value or {}) for value in kept]
    if process is _sqlite_datetime:
        return [value if value is None or type(value) is str else _sqlite_datetime(value) for value in kept]
    if process is _PG_DATETIME:
        return [datetime.fromisoformat(value) if type(value) is str else value for value in kept]
    if process is not None:
        return [None if value is None else process(value) for value in kept]
    return kept


def _insert_sqlite_columns(
    connection: Connection, head: tuple[str, Any], values: list[Sequence[Any]]
) -> tuple[int, ...]:
    """Multi-row pages without RETURNING: each is one step inside SQLite, run with the GIL released, so an
    import preparing its next batch on another thread is not held up row by row (executemany and RETURNING
    hand the GIL back and forth once a row).

    The write lock is held from the first insert to the commit and SQLite gives a new row the largest rowid
    plus one, so the rows this call inserts are the last ``inserted`` ids up to last_insert_rowid()."""
    inserted = 0
    for start in range(0, len(values[0]), _PAGE):
        # A page's parameters straight from its slices of the columns: no tuple a row for the whole batch.
        page = [column[start : start + _PAGE] for column in values]
        size = len(page[0])
        rows = zip(repeat(head[0], size), repeat(head[1], size), *page, strict=True)
        flat = tuple(chain.from_iterable(rows))
        inserted += connection.exec_driver_sql(_insert_sql(size, returning=False), flat).rowcount
    if inserted <= 0:
        return ()
    last = int(connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one())
    connection.exec_driver_sql(_SQLITE_SEGMENTS_FROM_JSON, (last - inserted + 1, last))
    return tuple(range(last - inserted + 1, last + 1))


def _insert_postgres_columns(
    connection: Connection, head: tuple[str, Any], values: list[Sequence[Any]]
) -> tuple[int, ...]:
    count = len(values[0])
    arrays = ([head[0]] * count, [head[1]] * count, *(v if isinstance(v, list) else list(v) for v in values))
    ids = [row[0] for row in connection.exec_driver_sql(_PG_INSERT, arrays)]
    if ids:
        connection.exec_driver_sql(_PG_SEGMENTS_FROM_JSON, (ids,))
    return tuple(sorted(ids))


def _insert_sqlite(connection: Connection, params: list[tuple[Any, ...]]) -> list[tuple[int, str, str]]:
    """Multi-row VALUES pages: one statement per page instead of one per row."""
    returned: list[tuple[int, str, str]] = []
    for start in range(0, len(params), _PAGE):
        page = params[start : start + _PAGE]
        flat = tuple(value for row in page for value in row)
        result = connection.exec_driver_sql(_insert_sql(len(page)), flat)
        returned.extend((r[0], r[1], r[2]) for r in result)
    return returned


def _insert_postgres(connection: Connection, params: list[tuple[Any, ...]]) -> list[tuple[int, str, str]]:
    """One statement over ``unnest`` of one array per column: PostgreSQL plans 26 parameters, not 26,000."""
    arrays = [list(column) for column in zip(*params, strict=True)]
    result = connection.exec_driver_sql(_PG_INSERT, tuple(arrays))
    return [(r[0], r[1], r[2]) for r in result]


def _insert_segments(connection: Connection, dialect_name: str, rows: list[tuple[Any, ...]]) -> None:
    if dialect_name == "postgresql":
        arrays = tuple(list(column) for column in zip(*rows, strict=True))
        connection.exec_driver_sql(_PG_SEGMENTS, arrays)
        return
    for start in range(0, len(rows), _PAGE * 4):
        page = rows[start : start + _PAGE * 4]
        flat = tuple(value for row in page for value in row)
        connection.exec_driver_sql(_segment_sql(len(page)), flat)


def _dedupe_in_batch(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first of rows repeating a natural key inside one batch (the store keeps the first too)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        seen.setdefault((row["source"], row["external_id"]), row)
    return list(seen.values())


def _row_params(dialect: Dialect, workspace_id: str, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Driver-ready tuples, converted by the same type processors SQLAlchemy itself would apply."""
    processors = [(i, p) for i, p in _processors(dialect) if i > 1]
    received = dict(_processors(dialect)).get(1, lambda value: value)(utcnow())
    head = (workspace_id, received)
    values = [[*head, *_read_fields(row)] for row in rows]
    for value in values:
        value[_SEGMENTS] = value[_SEGMENTS] or {}
        value[_RAW] = value[_RAW] or {}
    for index, process in processors:
        for value in values:
            cell = value[index]
            if cell is not None:
                value[index] = process(cell)
    return [tuple(value) for value in values]


def _read_fields(row: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return _FIELD_GETTER(row)
    except KeyError:
        return tuple(row.get(f) for f in INTERACTION_FIELDS)


_FIELD_GETTER = itemgetter(*INTERACTION_FIELDS)
_SEGMENTS = _COLUMNS.index("segments")
_RAW = _COLUMNS.index("raw")


def _processors(dialect: Dialect) -> list[tuple[int, Any]]:
    """Conversions the drivers do not do themselves, matching what SQLAlchemy's types would store.

    JSON becomes ``json.dumps`` text for both stores; on SQLite timestamps become SQLAlchemy's own DATETIME
    text. Strings, numbers, booleans (and PostgreSQL timestamps) are bound by the drivers as they are.
    """
    found: list[tuple[int, Any]] = []
    for index, name in enumerate(_COLUMNS):
        column_type = Interaction.__table__.c[name].type
        if isinstance(column_type, JSON):
            found.append((index, _JSON_TEXT))
        elif dialect.name == "sqlite" and isinstance(column_type, DateTime):
            found.append((index, _sqlite_datetime))
    return found


_JSON_TEXT = json.JSONEncoder(check_circular=False).encode
# Column-path time cells may be text in SQLite's DATETIME form already; PostgreSQL binds them as datetimes.
_PG_DATETIME = datetime.fromisoformat
_TIME_INDEXES = [
    i for i, c in enumerate(_COLUMNS) if i > 1 and isinstance(Interaction.__table__.c[c].type, DateTime)
]


def _one_shot_encoder() -> Any:
    """``_JSON_TEXT`` with its C encoder built once: ``encode`` builds one a call, which was most of its cost
    on a small dict. The arguments are those ``JSONEncoder.iterencode`` passes (check_circular off)."""
    if c_make_encoder is None:
        return _JSON_TEXT
    encoder = json.JSONEncoder(check_circular=False)
    make = c_make_encoder(
        None, encoder.default, encode_basestring_ascii, None, ": ", ", ", False, False, True
    )
    return lambda value: "".join(make(value, 0))


_JSON_ONE_SHOT = _one_shot_encoder()


def _sqlite_datetime(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="microseconds")


@lru_cache(maxsize=32)
def _insert_sql(count: int, returning: bool = True) -> str:
    one = "(" + ", ".join(["?"] * len(_COLUMNS)) + ")"
    return (
        f"INSERT INTO interaction ({_COLUMN_LIST}) VALUES {', '.join([one] * count)} "
        "ON CONFLICT (workspace_id, source, external_id) DO NOTHING"
        + (" RETURNING id, source, external_id" if returning else "")
    )


@lru_cache(maxsize=32)
def _segment_sql(count: int) -> str:
    return (
        'INSERT INTO interaction_segment (interaction_id, "key", workspace_id, "value") '
        f"VALUES {', '.join(['(?, ?, ?, ?)'] * count)}"
    )


def _pg_array_type(name: str) -> str:
    column_type = Interaction.__table__.c[name].type
    if isinstance(column_type, DateTime):
        return "timestamp[]"
    if isinstance(column_type, Boolean):
        return "boolean[]"
    if isinstance(column_type, Float):
        return "float8[]"
    return "text[]"  # strings, and JSON sent as its text


def _pg_select_item(index: int, name: str) -> str:
    column_type = Interaction.__table__.c[name].type
    return f"c{index}::json" if isinstance(column_type, JSON) else f"c{index}"


_COLUMN_LIST = ", ".join(f'"{c}"' for c in _COLUMNS)
_PG_INSERT = (
    f"INSERT INTO interaction ({_COLUMN_LIST}) "
    f"SELECT {', '.join(_pg_select_item(i, c) for i, c in enumerate(_COLUMNS))} "
    f"FROM unnest({', '.join(f'%s::{_pg_array_type(c)}' for c in _COLUMNS)}) "
    f"AS t({', '.join(f'c{i}' for i in range(len(_COLUMNS)))}) "
    "ON CONFLICT (workspace_id, source, external_id) DO NOTHING RETURNING id, source, external_id"
)
_PG_SEGMENTS = (
    'INSERT INTO interaction_segment (interaction_id, "key", workspace_id, "value") '
    "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])"
)


# Segment rows as insert_interactions writes them (key cut to 60, value to 200 characters), read back from
# the row's own JSON by SQLite instead of bound from Python four parameters at a time.
_SQLITE_SEGMENTS_FROM_JSON = (
    'INSERT INTO interaction_segment (interaction_id, "key", workspace_id, "value") '
    "SELECT i.id, substr(j.key, 1, 60), i.workspace_id, substr(j.value, 1, 200) "
    "FROM interaction AS i, json_each(i.segments) AS j WHERE i.id BETWEEN ? AND ?"
)
_PG_SEGMENTS_FROM_JSON = (
    'INSERT INTO interaction_segment (interaction_id, "key", workspace_id, "value") '
    "SELECT i.id, left(j.key, 60), i.workspace_id, left(j.value, 200) "
    "FROM interaction AS i CROSS JOIN LATERAL json_each_text(i.segments) AS j WHERE i.id = ANY(%s::bigint[])"
)


@dataclass(frozen=True)
class InteractionFilter:
    channel: str | None = None
    kind: str | None = None
    source: str | None = None
    solicited: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    customer_id: int | None = None
    segment_key: str | None = None
    segment_value: str | None = None


def list_interactions(
    session: Session,
    workspace_id: str,
    filters: InteractionFilter,
    after_id: int | None,
    limit: int,
) -> list[Interaction]:
    """Newest first by id; ``after_id`` is the cursor (the last id of the previous page)."""
    query = _filtered(select(Interaction).where(Interaction.workspace_id == workspace_id), filters)
    if after_id is not None:
        query = query.where(Interaction.id < after_id)
    return list(session.scalars(query.order_by(Interaction.id.desc()).limit(limit)))


def _filtered(query: Select[Any], f: InteractionFilter) -> Select[Any]:
    for column, value in (
        (Interaction.channel, f.channel),
        (Interaction.kind, f.kind),
        (Interaction.source, f.source),
        (Interaction.solicited, f.solicited),
        (Interaction.customer_id, f.customer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.since is not None:
        query = query.where(Interaction.occurred_at >= f.since)
    if f.until is not None:
        query = query.where(Interaction.occurred_at < f.until)
    if f.segment_key is not None:
        segment = select(InteractionSegment.interaction_id).where(
            InteractionSegment.workspace_id == Interaction.workspace_id,
            InteractionSegment.key == f.segment_key,
        )
        if f.segment_value is not None:
            segment = segment.where(InteractionSegment.value == f.segment_value)
        query = query.where(Interaction.id.in_(segment))
    return query
