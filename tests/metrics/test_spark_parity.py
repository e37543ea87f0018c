"""Every declared metric gives the same numbers on the store's SQL and on Spark (local mode, via Ibis).

One Spark session for the whole module (it takes tens of seconds to start), small data.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.db import make_engine, make_sessionmaker
from parallax.metrics.board import compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import SparkEngine, StoreEngine, export_tables, local_spark
from parallax.metrics.rollup_service import build_records
from parallax.store.migrate import upgrade
from parallax.store.workspaces import ensure_workspace

from .factories import T0, insert, post, survey, ticket

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark")

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
        rows.append(
            survey(f"{k}", None if k % 4 == 0 else 1 + k % 5, route, at=at, email=f"p{k % 9}@x.org")
            | {"segments": seg}
        )
        rows.append(survey(f"n{k}", k % 11, route, at=at, score_type="nps", email=f"p{k % 9}@x.org"))
        rows.append(post(f"{k}", route, at=at + timedelta(hours=2), email=f"p{k % 7}@x.org"))
        labels[f"p{k}"] = ("negative", "positive", "neutral")[k % 3]
        if k % 3 == 0:
            rows.append(
                ticket(
                    f"{k}",
                    route,
                    at=at,
                    close_hours=None if k % 9 == 0 else 3 + k,
                    first_hours=1 + k % 4,
                    email=f"p{k % 7}@x.org",
                )
            )
    insert(session, "acme", rows, labels)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker[Session], SparkEngine]]:
    root = tmp_path_factory.mktemp("parity")
    engine = make_engine(f"sqlite:///{root / 'store.sqlite'}")
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        ensure_workspace(session, "acme")
        _world(session)
        session.commit()
        export_tables(session, "acme", root / "tables")
    with local_spark("parallax-parity") as spark:
        yield factory, SparkEngine(spark, root / "tables")
    engine.dispose()


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.attribute}-{s.period}")
def test_every_metric_agrees(stores: tuple[sessionmaker[Session], SparkEngine], scope: Scope) -> None:
    factory, spark = stores
    with factory() as session:
        store_board = compute_board(StoreEngine(session), scope)
    spark_board = compute_board(spark, scope)
    assert len(store_board.cells) > 0
    assert store_board.stats == spark_board.stats  # every sufficient statistic, every cell
    assert store_board.cells == spark_board.cells  # and every metric, median and bootstrap built on them


@pytest.mark.parametrize("attribute", ["", "route"])
def test_the_rollup_records_agree(stores: tuple[sessionmaker[Session], SparkEngine], attribute: str) -> None:
    """The roll-up is built from the same declarations, so either engine can build it."""
    factory, spark = stores
    with factory() as session:
        store_records = build_records(StoreEngine(session), "acme", attribute, None)
    assert len(store_records) > 0
    assert build_records(spark, "acme", attribute, None) == store_records
