"""Every declared metric gives the same numbers on the store's SQL, on DuckDB and on Spark (via Ibis).

Small data; one Spark session for the whole module (it takes tens of seconds to start), and its JVM must be
gone when the module ends. Without pyspark, Java or duckdb these tests skip on a laptop but fail in CI
(CI=true): `make test` installs the extras they need.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.db import make_engine, make_sessionmaker
from parallax.metrics.board import compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import (
    DuckDBEngine,
    Engine,
    SparkEngine,
    StoreEngine,
    export_tables,
    local_spark,
)
from parallax.metrics.rollup_service import build_records
from parallax.store.migrate import upgrade
from parallax.store.workspaces import ensure_workspace

from .factories import T0, insert, post, survey, ticket

ENGINES = ("duckdb", pytest.param("spark", marks=pytest.mark.spark))

SCOPES = (
    Scope("acme", None, "all"),
    Scope("acme", "route", "week"),
    Scope("acme", "route", "day"),
    Scope("acme", "channel", "all"),
    Scope("acme", "route*cabin", "all"),
)


def _world(session: Session) -> None:
    rows: list[dict[str, Any]] = []
    labels = {}
    for k in range(60):
        at = T0 + timedelta(hours=7 * k)
        route = "AB"[k % 2]
        seg = {"route": route, "cabin": ("economy", "business")[k % 3 == 0]}
        # every eighth invitation is answered only by the non-response follow-up (left out of the inside view)
        wave = {"survey_wave": "follow_up"} if k % 8 == 0 else {}
        score = 1 + k % 5 if k % 8 == 0 else (None if k % 4 == 0 else 1 + k % 5)
        rows.append(survey(f"{k}", score, route, at=at, email=f"p{k % 9}@x.org") | {"segments": seg | wave})
        rows.append(survey(f"n{k}", k % 11, route, at=at, score_type="nps", email=f"p{k % 9}@x.org"))
        rows.append(post(f"{k}", route, at=at + timedelta(hours=2), email=f"p{k % 7}@x.org"))
        labels[f"p{k}"] = ("negative", "positive", "neutral")[k % 3]
        if k % 3 == 0:
            rows.append(
                ticket(
                    f"{k}",
                    route,
                    at=at,
                    close_hours=None if k % 9 == 0 else 3 + k + k / 7,  # fractions of a second too
                    first_hours=1 + k % 4,
                    email=f"p{k % 7}@x.org",
                )
            )
    insert(session, "acme", rows, labels)


def _require(engine: str, needs: dict[str, bool]) -> None:
    missing = [what for what, present in needs.items() if not present]
    if not missing:
        return
    message = f"the {engine} parity tests need " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(message + f" (CI=true: the {engine} tests must run, not skip)")
    pytest.skip(message)


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java", path=f"{home}/bin") if home else shutil.which("java")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker[Session], Path]]:
    """The small world in a SQLite store, and its Parquet copy for the engines that read files."""
    root = tmp_path_factory.mktemp("parity")
    engine = make_engine(f"sqlite:///{root / 'store.sqlite'}")
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        ensure_workspace(session, "acme")
        _world(session)
        session.commit()
        export_tables(session, "acme", root / "tables")
    yield factory, root / "tables"
    engine.dispose()


@pytest.fixture(scope="module")
def spark(store: tuple[sessionmaker[Session], Path]) -> Iterator[SparkEngine]:
    _require("Spark", {"pyspark (the spark extra)": _installed("pyspark"), "Java 17": _java() is not None})
    with local_spark("parallax-parity") as session:
        jvm = session.sparkContext._gateway.proc
        yield SparkEngine(session, store[1])
    assert jvm.poll() is not None, "the Spark JVM outlived its session"


@pytest.fixture(scope="module")
def duckdb(store: tuple[sessionmaker[Session], Path]) -> DuckDBEngine:
    _require("DuckDB", {"duckdb (the duckdb extra)": _installed("duckdb")})
    return DuckDBEngine(store[1])


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.attribute}-{s.period}")
def test_every_metric_agrees(
    store: tuple[sessionmaker[Session], Path], request: pytest.FixtureRequest, name: str, scope: Scope
) -> None:
    other: Engine = request.getfixturevalue(name)
    with store[0]() as session:
        store_board = compute_board(StoreEngine(session), scope)
    other_board = compute_board(other, scope)
    assert len(store_board.cells) > 0
    assert other_board.engine == name
    assert store_board.stats == other_board.stats  # every sufficient statistic, every cell
    assert store_board.cells == other_board.cells  # and every metric, median and bootstrap built on them


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("attribute", ["", "route"])
def test_the_rollup_records_agree(
    store: tuple[sessionmaker[Session], Path], request: pytest.FixtureRequest, name: str, attribute: str
) -> None:
    """The roll-up is built from the same declarations, so any engine can build it."""
    other: Engine = request.getfixturevalue(name)
    with store[0]() as session:
        store_records = build_records(StoreEngine(session), "acme", attribute, None)
    assert len(store_records) > 0
    assert build_records(other, "acme", attribute, None) == store_records
