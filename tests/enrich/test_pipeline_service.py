"""The enrichment service on both databases: one row per interaction and version, idempotent re-runs,
a new version flips ``current``, workspaces stay apart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parallax.enrich.pipeline import Enriched, Pipeline
from parallax.enrich.repository import current_enrichments
from parallax.enrich.service import VERSION_MAX, enrich_pending, storage_version
from parallax.ingest.record import InteractionIn
from parallax.store.interactions import insert_interactions
from parallax.store.models import Enrichment

TEXTS = ["my bag is lost, third time this month", "thanks, great crew!", "", "flight 12 delayed again"]


class Length:
    """A deterministic step: the score is the text length, so the rows are checkable."""

    name = "length"

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.calls = 0

    def apply(self, batch: list[Enriched]) -> None:
        self.calls += 1
        for item in batch:
            item.sentiment_score = float(len(item.text))
            item.sentiment_label = "neutral"
            item.emotions = {"joy": 0.5}


def _seed(session: Session, workspace: str, texts: list[str]) -> None:
    rows = [
        InteractionIn(
            source="t",
            external_id=str(i),
            channel="twitter",
            kind="post",
            occurred_at=datetime(2026, 1, 1),
            text=text or None,
        ).model_dump()
        for i, text in enumerate(texts)
    ]
    insert_interactions(session, workspace, rows)


def _count(session: Session, **where: object) -> int:
    query = select(func.count()).select_from(Enrichment).filter_by(**where)
    return int(session.scalar(query) or 0)


def test_enriches_each_interaction_with_text_once(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    step = Length()
    with session_factory() as session:
        _seed(session, workspace, TEXTS)
        first = enrich_pending(session, workspace, Pipeline([step]), batch_size=2)
        session.commit()
        again = enrich_pending(session, workspace, Pipeline([step]), batch_size=2)
        session.commit()
        assert (first.enriched, first.batches) == (3, 2)
        assert again.enriched == 0 and step.calls == 2
        rows = current_enrichments(session, workspace)
        assert sorted(r.sentiment_score or 0 for r in rows) == sorted(float(len(t)) for t in TEXTS if t)
        assert rows[0].detail["emotions"] == {"joy": 0.5}
        assert rows[0].model_versions == {"length": "1"}


def test_new_version_adds_rows_and_flips_current(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        _seed(session, workspace, TEXTS)
        enrich_pending(session, workspace, Pipeline([Length("1")]))
        enrich_pending(session, workspace, Pipeline([Length("2")]))
        session.commit()
        assert _count(session) == 6
        assert _count(session, current=True) == 3
        assert {r.version for r in current_enrichments(session, workspace)} == {"length@2"}
        back = enrich_pending(session, workspace, Pipeline([Length("1")]))
        session.commit()
        assert back.enriched == 0 and _count(session) == 6
        assert {r.version for r in current_enrichments(session, workspace)} == {"length@1"}


def test_workspaces_are_enriched_separately(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        _seed(session, workspace, TEXTS)
        _seed(session, "other", ["hello"])
        report = enrich_pending(session, "other", Pipeline([Length()]))
        session.commit()
        assert report.enriched == 1
        assert _count(session, workspace_id=workspace) == 0


def test_limit_stops_early_and_the_rest_follows(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        _seed(session, workspace, TEXTS)
        assert enrich_pending(session, workspace, Pipeline([Length()]), limit=2).enriched == 2
        assert enrich_pending(session, workspace, Pipeline([Length()]), limit=2).enriched == 1


def test_long_versions_are_shortened_stably() -> None:
    pipeline = Pipeline([Length("v" * 150)])
    stored = storage_version(pipeline)
    assert len(stored) == VERSION_MAX and stored == storage_version(pipeline)
    assert stored != storage_version(Pipeline([Length("v" * 149)]))


class TwoWorkers:
    """A runner that says it has two workers and records the batches it is handed together."""

    workers = 2

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.calls: list[list[int]] = []

    @property
    def version(self) -> str:
        return self.pipeline.version

    @property
    def model_versions(self) -> dict[str, str]:
        return self.pipeline.model_versions

    def run_many(self, batches: list[list[Enriched]]) -> list[list[Enriched]]:
        self.calls.append([len(batch) for batch in batches])
        return self.pipeline.run_many(batches)


def test_workers_get_whole_batches_and_the_rows_are_the_same(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    texts = [" ".join([f"message {i}"] * (i % 4 + 1)) for i in range(7)]
    runner = TwoWorkers(Pipeline([Length()]))
    with session_factory() as session:
        _seed(session, workspace, texts)
        report = enrich_pending(session, workspace, runner, batch_size=2, limit=6)
        rest = enrich_pending(session, workspace, runner, batch_size=2)
        session.commit()
        assert (report.enriched, report.batches, rest.enriched, rest.batches) == (6, 3, 1, 1)
        assert runner.calls == [[2, 2], [2], [1]]  # limit 6: two batches, then the one that is left
        scores = sorted(r.sentiment_score or 0 for r in current_enrichments(session, workspace))
        assert scores == sorted(float(len(t)) for t in texts) and _count(session) == 7
