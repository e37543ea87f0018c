"""The mirror report over imported answer sheets recovers the simulator's planted employee optimism."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from parallax.api.app import create_app
from parallax.ingest.importer import import_file
from parallax.ingest.mapping import load_mapping
from parallax.kit.db import session_scope
from parallax.metrics.mirror import load_questionnaire
from parallax.metrics.mirror_report import mirror_report
from parallax.simulate.mirror import TEAM_EXTRA, TEAMS
from parallax.store.workspaces import create_api_key

from .simworld import world

# Team shares of the simulated staff (simulate/mirror.py): the planted overall gap is optimism + mean extra.
TEAM_SHARE = dict(zip(TEAMS, (0.4, 0.25, 0.15, 0.1, 0.1), strict=True))


def _import_mirror(path: Path, factory: sessionmaker[Session], workspace: str = "acme") -> None:
    summary = import_file(path, load_mapping("mirror"), factory, workspace)
    assert summary.rejected == 0


@pytest.mark.parametrize("seed", [3, 11])
def test_recovers_planted_optimism(
    tmp_path_factory: pytest.TempPathFactory, seed: int, tmp_path: Path
) -> None:
    from parallax.kit.db import make_engine, make_sessionmaker
    from parallax.store.migrate import upgrade

    out = world(tmp_path_factory.getbasetemp(), seed, days=7)
    engine = make_engine(f"sqlite:///{tmp_path / 'mirror.sqlite'}")
    upgrade(engine)
    factory = make_sessionmaker(engine)
    _import_mirror(out / "mirror.csv", factory)
    planted = json.loads((out / "truth" / "mirror.json").read_text())
    mean_extra = sum(TEAM_SHARE[t] * TEAM_EXTRA[t] for t in TEAMS)
    with factory() as session:
        report = mirror_report(session, "acme", load_questionnaire())
    assert (report.customers, report.employees) == (planted["customers"], planted["employees"])
    by_dim = {g.dimension: g for g in report.gaps}
    for dim, optimism in planted["employee_optimism"].items():
        expected = optimism + mean_extra
        # Rounding answers to 1-5 and clipping at 5 shrink the gap a little; a broken reader would be far off.
        assert abs(by_dim[dim].gap - expected) < 1.0, (dim, by_dim[dim].gap, expected)
        assert abs(by_dim[dim].customer_mean - planted["population_mean"][dim]) < 0.6
    assert by_dim["omnichannel_consistency"].q_value < 1e-6
    assert by_dim["customer_understanding"].q_value < 1e-6
    assert report.gaps[0].dimension in {"omnichannel_consistency", "customer_understanding"}
    # Management is planted as the rosiest team, the contact centre as the least rosy.
    omni = {
        team: {g.dimension: g.gap for g in gaps}["omnichannel_consistency"]
        for team, gaps in report.by_team.items()
    }
    assert omni["management"] > omni["contact_centre"] + 2.0


def _write_sheets(path: Path, rows: list[dict[str, str]]) -> None:
    items = [i for dim in load_questionnaire().dimensions.values() for i in dim]
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["response_id", "role", "team", "email", "submitted_at", *items], extrasaction="ignore"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({**{i: row.get("score", "3") for i in items}, **row})


def _sheets(role: str, n: int, score: Callable[[int], str], team: str = "airport") -> list[dict[str, str]]:
    """``n`` answer sheets of ``role`` with every item answered ``score(k)``; employees in ``team``."""
    return [
        {
            "response_id": f"{role[0]}{k}",
            "role": role,
            "submitted_at": "2026-03-01T10:00:00Z",
            "score": score(k),
            **({"team": team} if role == "employee" else {}),
        }
        for k in range(n)
    ]


def test_bad_sheets_are_counted_not_guessed(
    db_url: str, session_factory: sessionmaker[Session], workspace: str, tmp_path: Path
) -> None:
    rows = _sheets("customer", 6, lambda k: str(2 + k % 2)) + _sheets("employee", 4, lambda k: str(4 + k % 2))
    rows += [{"response_id": "x1", "role": "manager", "submitted_at": "2026-03-01T10:00:00Z"}]
    rows += [
        {"response_id": "x2", "role": "employee", "submitted_at": "2026-03-01T10:00:00Z", "privacy_1": "7"}
    ]
    rows += [
        {"response_id": "x3", "role": "customer", "submitted_at": "2026-03-01T10:00:00Z", "privacy_1": "lots"}
    ]
    path = tmp_path / "mirror.csv"
    _write_sheets(path, rows)
    _import_mirror(path, session_factory)
    _import_mirror(path, session_factory)  # a re-import changes nothing
    with session_factory() as session:
        report = mirror_report(session, workspace, load_questionnaire())
        other = mirror_report(session, "other", load_questionnaire())
    assert (report.customers, report.employees) == (6, 4)
    assert report.skipped == {
        "role is not customer or employee": 1,
        "item privacy_1 is outside 1-5": 1,
        "item privacy_1 is not a number": 1,
    }
    assert {g.dimension: g.gap for g in report.gaps}["privacy"] == pytest.approx(5 * (4.5 - 2.5))
    assert other.empty


def test_a_partly_answered_dimension_is_left_out(tmp_path: Path) -> None:
    from parallax.metrics.mirror_report import AnswerSheet, read_sheet

    q = load_questionnaire()
    raw = {item: "4" for item in q.dimensions["privacy"] + q.dimensions["personalization"][:4]}
    sheet = read_sheet(q, "s1", {"role": "employee", "team": "digital"}, raw)
    assert isinstance(sheet, AnswerSheet)
    assert set(sheet.answers) == set(q.dimensions["privacy"])
    assert read_sheet(q, "s2", {"role": "customer"}, {"privacy_1": "4"}) == "no dimension fully answered"


def test_mirror_endpoint_is_per_workspace(
    db_url: str, session_factory: sessionmaker[Session], workspace: str, tmp_path: Path
) -> None:
    rows = _sheets("customer", 4, lambda k: str(2 + k % 2)) + _sheets("employee", 3, lambda k: "5", "loyalty")
    path = tmp_path / "mirror.csv"
    _write_sheets(path, rows)
    _import_mirror(path, session_factory)
    with session_scope(session_factory) as session:
        key = create_api_key(session, workspace, "t")
        other_key = create_api_key(session, "other", "t")
    with TestClient(create_app(db_url, migrate=False)) as client:
        assert client.get("/v1/metrics/mirror").status_code == 401
        mine = client.get("/v1/metrics/mirror", headers={"Authorization": f"Bearer {key}"}).json()
        theirs = client.get("/v1/metrics/mirror", headers={"Authorization": f"Bearer {other_key}"}).json()
    assert (mine["customers"], mine["employees"]) == (4, 3)
    assert {g["dimension"] for g in mine["gaps"]} == set(load_questionnaire().dimensions)
    assert list(mine["by_team"]) == ["loyalty"]
    assert theirs["gaps"] == [] and theirs["customers"] == 0


def test_welch_p_equals_scipys_welch_test() -> None:
    import numpy as np
    from scipy import stats

    from parallax.metrics.mirror import welch_p

    rng = np.random.default_rng(5)
    for _ in range(200):
        a = rng.normal(rng.uniform(8, 22), rng.uniform(0.5, 4), size=rng.integers(2, 200)).round()
        b = rng.normal(rng.uniform(8, 22), rng.uniform(0.5, 4), size=rng.integers(2, 200)).round()
        assert welch_p(a, b) == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue, abs=1e-12)
    assert welch_p(np.array([5.0, 5.0]), np.array([5.0, 5.0])) == 1.0
