"""The demo path end to end (simulate → ingest → enrich → link → report) on the embedded store, with the
numbers it reports checked against the simulator's truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from parallax.cli.main import app
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.metrics import Scope, StoreEngine, compute_board
from parallax.store.models import Enrichment, Interaction

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    root = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{root / 'parallax.sqlite'}"
    args = [
        "demo",
        "--no-serve",
        "--tier",
        "baseline",
        "--customers",
        "2500",
        "--days",
        "4",
        "--seed",
        "11",
        "--world-dir",
        str(root / "world"),
        "--database-url",
        url,
    ]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return url, root / "world", result.output


def _board(url: str) -> tuple[float, float]:
    with make_sessionmaker(make_engine(url))() as session:
        cell = compute_board(StoreEngine(session), Scope("demo", None, "all")).cells[0]
        assert cell.inside.response_rate_pct is not None and cell.inside.csat_satisfied_pct is not None
        return cell.inside.response_rate_pct, cell.inside.csat_satisfied_pct


def test_report_matches_the_simulators_truth(demo_run: tuple[str, Path, str]) -> None:
    url, world, output = demo_run
    truth = json.loads((world / "truth" / "summary.json").read_text())
    response_rate, satisfied = _board(url)
    assert response_rate == pytest.approx(100 * truth["response_rate"], abs=0.5)
    assert satisfied == pytest.approx(truth["naive_pct_satisfied"], abs=0.5)
    # The naive survey score flatters: the people who did not answer were less satisfied.
    assert satisfied - truth["true_pct_satisfied"] > 5
    assert "CSAT" in output


def test_every_text_is_enriched_once_and_a_rerun_changes_nothing(demo_run: tuple[str, Path, str]) -> None:
    url, world, _ = demo_run
    engine = make_engine(url)
    count_sql = select(func.count()).select_from(Interaction)
    enriched_sql = select(func.count()).select_from(Enrichment).where(Enrichment.current)
    with make_sessionmaker(engine)() as session:
        before = (session.scalar(count_sql), session.scalar(enriched_sql))
        with_text = session.scalar(count_sql.where(Interaction.text.is_not(None), Interaction.text != ""))
    assert before[1] == with_text
    args = [
        "demo",
        "--no-serve",
        "--tier",
        "baseline",
        "--customers",
        "2500",
        "--days",
        "4",
        "--seed",
        "11",
        "--world-dir",
        str(world),
        "--database-url",
        url,
    ]
    assert CliRunner().invoke(app, args).exit_code == 0
    with make_sessionmaker(engine)() as session:
        assert (session.scalar(count_sql), session.scalar(enriched_sql)) == before


def test_the_report_shows_the_mirror_survey_gap(demo_run: tuple[str, Path, str]) -> None:
    _, world, output = demo_run
    planted = json.loads((world / "truth" / "mirror.json").read_text())
    assert f"Mirror survey ({planted['customers']:,} customers, {planted['employees']:,} employees" in output
    row = next(line for line in output.splitlines() if "Omnichannel consistency" in line)
    gap = float(row.split("│")[4])
    assert gap == pytest.approx(planted["employee_optimism"]["omnichannel_consistency"], abs=1.5)
