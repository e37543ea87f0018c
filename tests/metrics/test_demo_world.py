"""The board over a simulated world ingested through the built-in mappings matches the simulator's truth."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from parallax.ingest.importer import import_file
from parallax.ingest.mapping import load_mapping
from parallax.metrics.board import compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine

from .simworld import truth, world


def test_response_rate_and_naive_csat_match_truth(
    session_factory: sessionmaker[Session], workspace: str, sim_root: Path, db_url: str
) -> None:
    out = world(sim_root, seed=2, days=4)
    for name, mapping in (("surveys.csv", "survey"), ("tickets.csv", "tickets")):
        import_file(out / name, load_mapping(mapping), session_factory, workspace)
    summary = truth(out)
    with session_factory() as session:
        inside = compute_board(StoreEngine(session), Scope(workspace, None, "all")).cells[0].inside
    assert inside.invites == summary["n_invited"]
    assert inside.responses == summary["n_responses"]
    assert abs((inside.response_rate_pct or 0) - 100 * summary["response_rate"]) < 0.01
    assert abs((inside.csat_satisfied_pct or 0) - summary["naive_pct_satisfied"]) < 0.01
    assert inside.tickets == summary["tickets"]["n_tickets"]
