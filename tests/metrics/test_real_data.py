"""The CFPB finding of docs/findings-real-data.md, re-derived from ../shared/data through the product path.

Built-in mapping, baseline enrichment (VADER), the declared ``product*timely_response`` statistics and
``flag_gaps``, as ``parallax report --flag timely_response=yes`` runs them. The assertions are the finding's
shape, not its decimals: the company's flag is flat across products, the customers' words are not, and the
widest gap is clear of the credit-reporting gap. A flag gap that ignored the texts or the flag fails.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from parallax.enrich.registry import default_pipeline
from parallax.enrich.service import enrich_pending
from parallax.ingest.importer import import_file
from parallax.ingest.mapping import load_mapping
from parallax.metrics.board import cell_stats
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.flaggap import flag_gaps
from parallax.store.workspaces import ensure_workspace

CREDIT_REPORTING = "Credit reporting, credit repair services, or other personal consumer reports"


def test_cfpb_timely_response_is_flat_while_the_words_are_not(shared_data: Path, tmp_path: Path) -> None:
    from parallax.kit.db import make_engine, make_sessionmaker
    from parallax.store.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'cfpb.sqlite'}")
    upgrade(engine)
    factory: sessionmaker[Session] = make_sessionmaker(engine)
    with factory() as session:
        ensure_workspace(session, "cfpb")
        session.commit()
    sample = shared_data / "cfpb-complaints-sample" / "complaints_sample.csv"
    import_file(sample, load_mapping("cfpb"), factory, "cfpb")
    with factory() as session:
        enrich_pending(session, "cfpb", default_pipeline("baseline"))
        cells = cell_stats(StoreEngine(session), Scope("cfpb", "product*timely_response", "all"))
    engine.dispose()
    gaps = {g.segment: g for g in flag_gaps(cells, "yes") if g.gap is not None}
    assert len(gaps) >= 5
    inside = [g.inside for g in gaps.values()]
    words = [g.outside for g in gaps.values() if g.outside is not None]
    assert min(inside) >= 95.0 and max(inside) - min(inside) <= 5.0  # the company's measure: flat
    assert max(words) - min(words) >= 15.0  # the customers' words: not flat
    widest = max(gaps.values(), key=lambda g: g.gap or 0.0)
    reporting = gaps[CREDIT_REPORTING]
    assert widest.segment != CREDIT_REPORTING
    assert widest.ci_low is not None and reporting.ci_high is not None
    assert widest.ci_low > reporting.ci_high  # the widest gap is clear of the largest product's
