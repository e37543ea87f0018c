"""Engines run the declared Ibis expressions: the store's own SQL (SQLite, PostgreSQL), DuckDB or Spark.

DuckDB and Spark read Parquet copies of the store's tables (``export_tables``); all three run the same
expressions, and the parity tests hold them to the same numbers cell by cell.

Example:
    >>> from parallax.metrics.declarations import Scope, cell_statistics
    >>> sql = compile_sql(cell_statistics(Scope("acme", "route")), "sqlite")
    >>> "GROUP BY" in sql
    True
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import ibis
from ibis.expr.types import Table
from sqlalchemy.orm import Session

from parallax.kit.errors import require
from parallax.metrics.declarations import TABLES

Row = Mapping[str, Any]

_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}


class Engine(Protocol):
    """Runs one declared expression and returns plain rows; ``name`` labels figures and benchmarks."""

    name: str

    def rows(self, expr: Table) -> list[Row]: ...


def compile_sql(expr: Table, dialect: str) -> str:
    return str(ibis.to_sql(expr, dialect=dialect))


class StoreEngine:
    """The store's own SQL, run in the caller's session (so it sees that transaction's rows)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        dialect = session.get_bind().dialect.name
        if dialect not in _DIALECTS:
            raise NotImplementedError(f"no metrics engine for dialect {dialect}")
        self.name = dialect
        self._dialect = _DIALECTS[dialect]

    def rows(self, expr: Table) -> list[Row]:
        sql = compile_sql(expr, self._dialect)
        result = self.session.connection().exec_driver_sql(sql)
        columns = list(result.keys())
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


class SparkEngine:
    """Spark (local mode by default) through Ibis' PySpark backend, over Parquet copies of the tables.

    The tables are registered as temporary views named like the store's, so the same expressions bind.
    """

    name = "spark"

    def __init__(self, spark: Any, table_dir: Path) -> None:
        require("pyspark", "spark")
        import ibis.backends.pyspark

        self.spark = spark
        self._con = ibis.pyspark.connect(spark)
        for table in TABLES:
            spark.read.parquet(str(table_dir / f"{table}.parquet")).createOrReplaceTempView(table)

    def rows(self, expr: Table) -> list[Row]:
        frame = self._con.execute(expr)
        records: list[Row] = frame.to_dict(orient="records")
        return records


class DuckDBEngine:
    """DuckDB in this process, through Ibis' DuckDB backend, over Parquet copies of the tables.

    A columnar engine on one machine: what the store's SQL answers in minutes at 10 million rows it scans
    in seconds. The files are registered as views named like the store's tables, so the same expressions
    bind. Timestamps are read at whole seconds: SQLite's and Spark's ``epoch_seconds`` drop the fraction
    and DuckDB's keeps it, which would move a ticket's hours to close by up to a second.
    """

    name = "duckdb"

    def __init__(self, table_dir: Path, threads: int = 2) -> None:
        require("duckdb", "duckdb")
        import ibis.backends.duckdb

        self._con = ibis.duckdb.connect(threads=threads)
        for name, table in TABLES.items():
            stamps = [c for c, kind in table.schema().items() if kind.is_timestamp()]
            seconds = ", ".join(f'date_trunc(\'second\', "{c}") AS "{c}"' for c in stamps)
            path = str(table_dir / f"{name}.parquet").replace("'", "''")
            self._con.raw_sql(
                f'CREATE VIEW "{name}" AS SELECT * {f"REPLACE ({seconds})" if stamps else ""} '
                f"FROM read_parquet('{path}')"
            )

    def rows(self, expr: Table) -> list[Row]:
        records: list[Row] = self._con.to_pyarrow(expr).to_pylist()
        return records


@contextmanager
def local_spark(app_name: str = "parallax-metrics", cores: int = 2) -> Iterator[Any]:
    """A local-mode Spark session in UTC with the UI off; on exit the session stops and its JVM ends.

    ``spark.stop()`` alone keeps the gateway JVM alive until Python exits, so a test run or a benchmark
    that opens sessions one after another would pile them up; closing the gateway ends it now.
    """
    require("pyspark", "spark")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(max(2, cores)))
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()
        stop_gateway()


def stop_gateway(wait_s: float = 30.0) -> None:
    """End the JVM that pyspark started for this process (a later session starts a new one)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if process is None:  # a gateway that pyspark did not launch (PYSPARK_GATEWAY_PORT) is not ours to end
        return
    if process.stdin is not None:
        process.stdin.close()  # the JVM ends itself when its stdin closes
    try:
        process.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=wait_s)


def export_tables(session: Session, workspace_id: str, out_dir: Path, chunk: int = 200_000) -> Sequence[Path]:
    """Copy the tables the declarations read (one workspace) to Parquet, for an engine that reads files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        schema = table.schema().to_pyarrow()
        columns = ", ".join(f'"{c}"' for c in schema.names)
        result = session.connection().exec_driver_sql(
            f'SELECT {columns} FROM "{name}" WHERE workspace_id = ?'
            if session.get_bind().dialect.name == "sqlite"
            else f'SELECT {columns} FROM "{name}" WHERE workspace_id = %s',
            (workspace_id,),
        )
        path = out_dir / f"{name}.parquet"
        with pq.ParquetWriter(path, schema) as writer:
            while batch := result.fetchmany(chunk):
                data = {c: [row[k] for row in batch] for k, c in enumerate(schema.names)}
                writer.write_table(pa.Table.from_pydict(_typed(data, schema), schema=schema))
        written.append(path)
    return written


def _typed(data: dict[str, list[Any]], schema: Any) -> dict[str, list[Any]]:
    """SQLite hands back timestamps as text and booleans as 0/1; convert to what the schema says."""
    from datetime import datetime

    import pyarrow as pa

    for field in schema:
        values = data[field.name]
        if pa.types.is_timestamp(field.type):
            data[field.name] = [datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        elif pa.types.is_boolean(field.type):
            data[field.name] = [None if v is None else bool(v) for v in values]
    return data
