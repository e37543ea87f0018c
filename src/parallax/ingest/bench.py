"""``parallax bench ingest``: interactions per second from a file and over HTTP, into SQLite and PostgreSQL.

The input is generated here (a ticket export in the ``tickets`` layout, seeded), so the figure needs no data
set. HTTP runs go through a real server: ``parallax serve`` in its own process on 127.0.0.1, fed batches of
1,000 canonical records by an httpx client. Each figure is wall-clock rows/s; file runs also give rows per
CPU-second of the importing process, which the shared machine's load moves much less.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from parallax.api.local_server import local_server
from parallax.ingest.bench_baseline import baseline_seconds
from parallax.ingest.importer import DEFAULT_BATCH_ROWS, ImportOptions, import_file
from parallax.ingest.mapping import load_mapping
from parallax.kit.benchmarks import write_section
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.store.migrate import upgrade
from parallax.store.workspaces import create_api_key, ensure_workspace

HEADER = [
    "ticket_id", "customer_email", "channel", "created_at", "first_response_at", "closed_at", "status",
    "csat", "subject", "description", "queue", "agent", "route", "loyalty_tier",
]  # fmt: skip
HTTP_BATCH = 1000


@dataclass(frozen=True)
class Figure:
    path: str
    store: str
    rows: int
    seconds: float
    cpu_seconds: float | None
    write_cpu_seconds: float | None = None  # file runs: the writer thread's share of cpu_seconds

    @property
    def rate(self) -> float:
        return self.rows / self.seconds

    @property
    def cpu_rate(self) -> float | None:
        return None if not self.cpu_seconds else self.rows / self.cpu_seconds

    def stages(self) -> str | None:
        """The CPU a row of the two overlapped stages, and the rows/s two free cores would allow at most."""
        if not self.cpu_seconds or self.write_cpu_seconds is None:
            return None
        write = self.write_cpu_seconds / self.rows * 1e6
        rest = (self.cpu_seconds - self.write_cpu_seconds) / self.rows * 1e6
        return (
            f"{self.store} file import, CPU a row: {write:.1f} µs on the writer thread (driver parameters, "
            f"SQL, commit) and {rest:.1f} µs for the rest (read, map, check, on the main and pyarrow's "
            f"threads); with the two overlapped on two free cores, at most {1e6 / max(write, rest):,.0f} "
            "rows/s (a bound from measured CPU, not a wall-clock figure)."
        )


def synthetic_rows(count: int, seed: int = 42) -> Iterator[list[str]]:
    """Ticket rows with a csat on most, four segments each, ISO timestamps with 'Z'."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1)
    for number in range(count):
        created = start + timedelta(seconds=37 * number)
        yield [
            f"T{number:08d}",
            f"customer{rng.randrange(count // 3 + 1)}@example.com",
            rng.choice(("email", "chat", "phone", "whatsapp")),
            created.isoformat() + "Z",
            (created + timedelta(minutes=rng.randrange(5, 600))).isoformat() + "Z",
            (created + timedelta(hours=rng.randrange(1, 96))).isoformat() + "Z",
            rng.choice(("solved", "closed", "pending", "open")),
            rng.choice(("", "1", "2", "3", "4", "5", "5", "4")),
            rng.choice(("Bag lost", "Refund", "Seat change", "Delay")),
            f"Flight PX{rng.randrange(100, 999)}: {rng.choice(('no update', 'still waiting', 'thanks'))}.",
            rng.choice(("baggage", "refunds", "general")),
            f"agent-{rng.randrange(40)}",
            rng.choice(("JFK-LAX", "LHR-JFK", "SFO-ORD", "MAD-BCN")),
            rng.choice(("none", "silver", "gold", "platinum")),
        ]


def write_csv(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(synthetic_rows(count))
    return path


def canonical_records(count: int) -> list[dict[str, Any]]:
    """The same tickets as canonical records, as an API client would send them."""
    records = []
    for row in synthetic_rows(count):
        cell = dict(zip(HEADER, row, strict=True))
        record: dict[str, Any] = {
            "source": "bench-api",
            "external_id": cell["ticket_id"],
            "channel": cell["channel"],
            "kind": "ticket",
            "occurred_at": cell["created_at"],
            "first_response_at": cell["first_response_at"],
            "closed_at": cell["closed_at"],
            "status": cell["status"],
            "author_email": cell["customer_email"],
            "ticket_id": cell["ticket_id"],
            "text": f"{cell['subject']}\n\n{cell['description']}",
            "segments": {k: cell[k] for k in ("queue", "agent", "route", "loyalty_tier")},
        }
        if cell["csat"]:
            record["score_type"], record["score_value"] = "csat", float(cell["csat"])
        records.append(record)
    return records


@contextmanager
def throwaway_postgres(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one run, dropped afterwards."""
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"parallax_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def file_figure(
    csv_path: Path,
    url: str,
    store: str,
    rows: int,
    overlap: bool = True,
    columnar: bool = True,
    batch_size: int = DEFAULT_BATCH_ROWS,
) -> Figure:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    options = ImportOptions(batch_size=batch_size, overlap=overlap, columnar=columnar)
    wall, cpu = time.perf_counter(), time.process_time()
    summary = import_file(csv_path, load_mapping("tickets"), factory, "bench", options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    if summary.inserted != rows:
        raise RuntimeError(f"expected {rows} inserted rows, got {summary.inserted}")
    return Figure("file (CSV, mapping tickets)", store, rows, wall, cpu, summary.write_cpu_seconds)


def http_figure(url: str, store: str, records: list[dict[str, Any]]) -> Figure:
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        ensure_workspace(session, "bench")
        key = create_api_key(session, "bench", "bench")
        session.commit()
    engine.dispose()
    with local_server(url) as base:
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            wall = time.perf_counter()
            accepted = 0
            for start in range(0, len(records), HTTP_BATCH):
                response = client.post(
                    "/v1/interactions", json={"interactions": records[start : start + HTTP_BATCH]}
                )
                response.raise_for_status()
                accepted += response.json()["accepted"]
            wall = time.perf_counter() - wall
    if accepted != len(records):
        raise RuntimeError(f"expected {len(records)} accepted rows, got {accepted}")
    return Figure("HTTP POST /v1/interactions (uvicorn, batches of 1,000)", store, len(records), wall, None)


# The paths timed against the first version: (label, overlap, columnar, rows per commit).
RATIO_PATHS = (
    ("row path (dict a row, fast-path validation), overlapped, commits of 1,000", True, False, 1000),
    ("column path, overlapped, commits of 1,000 (the previous default)", True, True, 1000),
    (
        f"column path, overlapped, commits of {DEFAULT_BATCH_ROWS:,} (the default)",
        True,
        True,
        DEFAULT_BATCH_ROWS,
    ),
    (f"column path, one thread, commits of {DEFAULT_BATCH_ROWS:,}", False, True, DEFAULT_BATCH_ROWS),
)


@dataclass(frozen=True)
class Ratio:
    """Today's import paths against the first version, same file and SQLite, back to back in one process.

    Each timing is (wall s, CPU s). Overlapped runs write on a second thread while the next batch is
    prepared; whether that beats one thread depends on whether the machine has a free core at the time.
    """

    rows: int
    baseline: tuple[float, float]
    paths: tuple[tuple[str, float, float], ...]

    def line(self) -> str:
        bw, bc = self.baseline
        parts = [
            f"{label} {wall:.2f} / {cpu:.2f} (**{bw / wall:.1f}x** wall, **{bc / cpu:.1f}x** CPU; "
            f"{self.rows / cpu:,.0f} rows per CPU-s)"
            for label, wall, cpu in self.paths
        ]
        return (
            f"Same process, same {self.rows:,}-row file, fresh SQLite each (wall s / CPU s): first version "
            f"(pydantic per row, ORM bulk insert) {bw:.2f} / {bc:.2f}; " + "; ".join(parts) + "."
        )


def ratio_against_baseline(folder: str, rows: int) -> Ratio:
    csv_path = write_csv(Path(folder) / "ratio.csv", rows)
    wall, cpu, inserted = baseline_seconds(csv_path, f"sqlite:///{Path(folder) / 'ratio-baseline.sqlite'}")
    if inserted != rows:
        raise RuntimeError(f"baseline inserted {inserted} of {rows} rows")
    timed = []
    for index, (label, overlap, columnar, batch_size) in enumerate(RATIO_PATHS):
        url = f"sqlite:///{Path(folder) / f'ratio-{index}.sqlite'}"
        figure = file_figure(csv_path, url, "SQLite", rows, overlap, columnar, batch_size)
        timed.append((label, figure.seconds, figure.cpu_seconds or 0.0))
    return Ratio(rows, (wall, cpu), tuple(timed))


def run_benchmark(
    rows: int, http_rows: int, pg_url: str | None, write: bool, console: Console | None = None
) -> list[Figure]:
    """Run every figure, print a table, and (``write``) replace the ingest section of BENCHMARKS.md."""
    out = console or Console()
    figures: list[Figure] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as folder:
        csv_path = write_csv(Path(folder) / "tickets.csv", rows)
        records = canonical_records(http_rows)
        stores: list[tuple[str, Any]] = [("SQLite", lambda tag: _sqlite(folder, tag))]
        if pg_url:
            stores.append(("PostgreSQL", lambda _tag: throwaway_postgres(pg_url)))
        for store, database in stores:
            with database("file") as url:
                out.print(f"file → {store}: {rows:,} rows …")
                figures.append(file_figure(csv_path, url, store, rows))
            with database("http") as url:
                out.print(f"HTTP → {store}: {http_rows:,} rows …")
                figures.append(http_figure(url, store, records))
        out.print(f"ratio against the first version: {min(rows, 20_000):,} rows …")
        ratio = ratio_against_baseline(folder, min(rows, 20_000))
    loads = (load_before, os.getloadavg()[0])
    out.print(figure_table(figures))
    for line in stage_lines(figures):
        out.print(line)
    out.print(ratio.line())
    out.print(
        f"load average (1 min) before / after: {loads[0]:.1f} / {loads[1]:.1f} on {os.cpu_count()} cores"
    )
    if write:
        write_section("ingest", markdown(figures, rows, http_rows, loads) + "\n\n" + ratio.line())
        out.print("wrote the ingest section of BENCHMARKS.md")
    return figures


@contextmanager
def _sqlite(folder: str, tag: str) -> Iterator[str]:
    yield f"sqlite:///{Path(folder) / f'bench-{tag}.sqlite'}"


def stage_lines(figures: list[Figure]) -> list[str]:
    """Stage figures of the SQLite file runs (PostgreSQL's work is in its server, not in this process)."""
    return [line for line in (f.stages() for f in figures if f.store == "SQLite") if line]


def figure_table(figures: list[Figure]) -> Table:
    table = Table(title="parallax bench ingest")
    for column in ("path", "store", "rows", "seconds", "rows/s", "rows per CPU-s (importer)"):
        table.add_column(column, justify="left" if column in ("path", "store") else "right")
    for f in figures:
        cpu = "-" if f.cpu_rate is None else f"{f.cpu_rate:,.0f}"
        table.add_row(f.path, f.store, f"{f.rows:,}", f"{f.seconds:.2f}", f"{f.rate:,.0f}", cpu)
    return table


def markdown(figures: list[Figure], rows: int, http_rows: int, loads: tuple[float, float]) -> str:
    lines = [
        "## Ingest",
        "",
        f"`parallax bench ingest --rows {rows} --http-rows {http_rows}`: a generated ticket export (seeded, "
        "four segments a row, CSAT on most rows) imported with mapping `tickets` in committed batches of "
        f"{DEFAULT_BATCH_ROWS:,} (the default), and the same tickets POSTed as canonical records in "
        "batches of 1,000 to a real "
        "`parallax serve --no-live` (uvicorn, its own process, 127.0.0.1, no stream worker). Each store "
        "is a fresh database (PostgreSQL: a throwaway database on the local server).",
        "",
        "| path | store | rows | seconds | rows/s | rows per CPU-s (importer) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        cpu = "-" if f.cpu_rate is None else f"{f.cpu_rate:,.0f}"
        lines.append(f"| {f.path} | {f.store} | {f.rows:,} | {f.seconds:.2f} | {f.rate:,.0f} | {cpu} |")
    lines += [
        "",
        f"Load average (1 min) before / after: {loads[0]:.1f} / {loads[1]:.1f} on {os.cpu_count()} cores "
        f"shared with other work (this run at niceness {os.nice(0)}); rows/s is wall-clock and moves with "
        "that load, rows per CPU-second counts only the importing process's own CPU (for PostgreSQL the "
        "server's work is not in it).",
    ]
    stages = stage_lines(figures)
    return "\n".join([*lines, *(["", *stages] if stages else [])])
