"""``parallax bench web``: every page's server time over an embedded store of N interactions.

The store is built once with the sample world (``parallax.web.sample``) and reused while its size matches.
Each page is requested in-process (Starlette's TestClient, no network): the time is what the server spends
from request to the last byte of the response, which is what a user waits for beyond the network.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.store.models import Case, Interaction
from parallax.store.workspaces import ensure_workspace
from parallax.web import rollup
from parallax.web.auth import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.sample import SampleSpec, load_sample

WORKSPACE = "bench"
TARGET_MS = 300.0
WEEKS = 26
DAYS = WEEKS * 7


@dataclass(frozen=True)
class PageTiming:
    path: str
    status: int
    first_ms: float
    median_ms: float
    max_ms: float


def build_store(path: Path, interactions: int, log: Callable[[str], None]) -> str:
    """A SQLite store holding exactly ``interactions`` sample rows in workspace ``bench`` (reused if so)."""
    url = f"sqlite:///{path}"
    app = create_app(url)
    with session_scope(app.state.session_factory) as session:
        have = session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.workspace_id == WORKSPACE)
        )
    if have != interactions:
        app.state.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        app = create_app(url)
        started = time.perf_counter()
        with session_scope(app.state.session_factory) as session:
            ensure_workspace(session, WORKSPACE, "Benchmark Air")
            load_sample(session, WORKSPACE, SampleSpec(interactions=interactions, weeks=WEEKS))
        log(f"built {interactions:,} interactions in {time.perf_counter() - started:.0f} s")
    with session_scope(app.state.session_factory) as session:
        ensure_demo_user(session, WORKSPACE)
        started = time.perf_counter()
        done = rollup.refresh(session, WORKSPACE)
        if done.days:
            seconds = time.perf_counter() - started
            log(f"built the gap rollup ({done.days} days, {done.rows:,} rows) in {seconds:.1f} s")
    app.state.engine.dispose()
    return url


def incremental_refresh_ms(url: str, new_rows: int = 1_000) -> tuple[float, int]:
    """Time to fold ``new_rows`` fresh interactions of the last week into the rollup, and the days it rebuilt
    (inserted, timed, rolled back)."""
    app = create_app(url, migrate=False)
    with app.state.session_factory() as session:
        rollup.refresh(session, WORKSPACE)
        load_sample(session, WORKSPACE, SampleSpec(interactions=new_rows, weeks=1, seed=99, cases=1))
        started = time.perf_counter()
        done = rollup.refresh(session, WORKSPACE)
        elapsed = (time.perf_counter() - started) * 1000
        session.rollback()
    app.state.engine.dispose()
    return elapsed, done.days


def _logged_in(url: str) -> tuple[TestClient, int, int]:
    app = create_app(url, migrate=False)
    app.state.web_secret = "bench"
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"workspace": WORKSPACE, "email": DEMO_EMAIL, "password": DEMO_PASSWORD,
                                "csrf_token": token})  # fmt: skip
    with session_scope(app.state.session_factory) as session:
        case_id = session.scalar(select(func.max(Case.id)).where(Case.workspace_id == WORKSPACE)) or 0
        customer_id = (
            session.scalar(
                select(Case.customer_id)
                .where(Case.workspace_id == WORKSPACE, Case.customer_id.is_not(None))
                .limit(1)
            )
            or 0
        )
    return client, int(case_id), int(customer_id)


def pages(case_id: int, customer_id: int) -> list[str]:
    return [
        "/login", "/", "/?segment=cabin", "/drill?side=outside&tone=negative&key=route&value=CDG-ORD",
        "/live", "/customers", f"/customers/{customer_id}", "/cases", "/cases?breached=true",
        f"/cases/{case_id}", "/settings", "/mirror",
    ]  # fmt: skip


def time_pages(url: str, repeat: int = 5) -> list[PageTiming]:
    client, case_id, customer_id = _logged_in(url)
    out = []
    for path in pages(case_id, customer_id):
        samples, status = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            status = response.status_code
        out.append(PageTiming(path, status, samples[0], statistics.median(samples), max(samples)))
    return out


def markdown(timings: list[PageTiming], interactions: int, repeat: int, refresh: tuple[float, int]) -> str:
    rows = "\n".join(
        f"| `{t.path}` | {t.status} | {t.first_ms:.0f} | {t.median_ms:.0f} | {t.max_ms:.0f} | "
        f"{'yes' if t.median_ms < TARGET_MS else 'NO'} |"
        for t in timings
    )
    return (
        f"## web\n\nServer time per page with {interactions:,} interactions in the embedded SQLite store "
        f"(sample world, 26 weeks, 2 segment keys, enriched organic rows, {interactions // 100:,} cases). "
        f"Each page requested {repeat} times in-process; *first* is the first request of the process "
        f"(cold caches), *median* and *max* over all {repeat}. Target: median under {TARGET_MS:.0f} ms.\n\n"
        "Reproduce: `parallax bench web --interactions 1000000`\n\n"
        "| page | status | first ms | median ms | max ms | under target |\n|---|---|---|---|---|---|\n"
        + rows
        + "\n\nThe executive page reads the gap rollup (docs/web.md), built once with the store. "
        "Folding 1,000 new interactions spread over the last week into it (the work the first executive "
        f"request after an ingest does) rebuilt {refresh[1]} days, about "
        f"{refresh[1] * interactions // DAYS:,} interactions, in {refresh[0]:.0f} ms; it grows with the days "
        "touched, not with the store. `/survey` is computed on "
        "demand by the metrics room and cached, so it is not in this table."
    )
