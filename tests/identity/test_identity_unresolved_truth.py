"""Closed but not resolved against the simulator's truth, on the demo's path: simulate → ingest → enrich
(baseline) → link (identifiers, then Splink) → thread cases, on three small worlds.

Issue 14: the demo reported 1-4 such tickets per 10,000-customer week where the truth holds 90-133 (the
rule ignored a later message on the same ticket, or naming it, and every low rating). About half of the
truly unresolved tickets leave the customer's word after closing (a 1-2 rating, a later message); the rest
show only in the agent's own closing note, which the rule does not read (docs/identity.md). So recall
stays well below 1, and the test asks for nearly all of what the customers said. Worlds of 5,000 customers
over 4 days hold 15-40 such tickets each: the figures are pooled over the three worlds. Seeds 3, 7 and 11
are development worlds; the held-out figures (seeds 101, 202, 303, 404) are in docs/identity.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.enrich.registry import default_pipeline
from parallax.enrich.service import enrich_pending
from parallax.identity import repository as repo
from parallax.identity.cases_sync import sync_cases
from parallax.identity.recluster import recluster
from parallax.identity.resolve import link_unattached
from parallax.identity.unresolved_eval import FlagScore, score_world
from parallax.ingest.importer import ImportOptions, import_file
from parallax.ingest.mapping import load_mapping
from parallax.kit.clock import utcnow
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.simulate import simulate_world, write_world
from parallax.store.migrate import upgrade

pytestmark = pytest.mark.slow
SEEDS = (3, 7, 11)
CUSTOMERS = 5000  # over 4 days
WORKSPACE = "demo"
EXPORTS = (
    ("tickets.csv", "tickets"),
    ("surveys.csv", "survey"),
    ("reviews.csv", "reviews"),
    ("social.jsonl", "parallax"),
    ("agent_notes.jsonl", "parallax"),
)


def _flags_on_a_world(seed: int, root: Path) -> FlagScore:
    world = root / f"world{seed}"
    write_world(simulate_world(seed=seed, days=4, customers=CUSTOMERS), world)
    engine = make_engine(f"sqlite:///{root / f'store{seed}.sqlite'}")
    upgrade(engine)
    factory = make_sessionmaker(engine)
    for name, mapping in EXPORTS:
        options = ImportOptions(rejects_path=root / f"{seed}-{name}.rejects.csv")
        import_file(world / name, load_mapping(mapping), factory, WORKSPACE, options)
    with session_scope(factory) as session:
        enrich_pending(session, WORKSPACE, default_pipeline("baseline"))
    with session_scope(factory) as session:
        link_unattached(session, WORKSPACE, utcnow())
        recluster(session, WORKSPACE, utcnow())
        sync_cases(session, WORKSPACE)
        flagged = repo.unresolved_tickets(session, WORKSPACE)
    engine.dispose()
    return score_world(flagged, world)


def test_closed_but_not_resolved_finds_what_the_customers_said(tmp_path: Path) -> None:
    scores = [_flags_on_a_world(seed, tmp_path) for seed in SEEDS]
    truth, said = sum(s.truth for s in scores), sum(s.said for s in scores)
    hits, said_hits = sum(s.hits for s in scores), sum(s.said_hits for s in scores)
    flagged = sum(s.flagged for s in scores)
    assert truth >= 60 and said >= 25, scores  # enough unresolved tickets for the figures to mean something
    assert hits / flagged >= 0.9, scores
    assert hits / truth >= 0.3, scores  # before the fix: about 0.03 of them
    assert said_hits / said >= 0.8, scores  # nearly all of what the customers said after closing
