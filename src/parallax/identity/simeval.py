"""Linkage against the simulator's truth: pairwise precision/recall, and what linking changes downstream.

A simulated world (``parallax simulate``) is ingested into a scratch database, linked deterministically,
then re-clustered with Splink; after each stage, pairs of interactions (and of identifiers) placed with
the same customer are compared with truth/interactions.csv and truth/identities.csv. Repeat effort and
"closed but not resolved" are counted three ways: identities as the channels see them (no linking), as
linked, and by the true person.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.journeys import JourneyStats, stats
from parallax.identity.normalise import Ident, hash_ident, normalise_email, normalise_handle, normalise_phone
from parallax.identity.recluster import recluster
from parallax.identity.resolve import link_unattached, resolve_one
from parallax.identity.views import InteractionView
from parallax.kit.clock import utcnow
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.migrate import upgrade

WORKSPACE = "sim-eval"
FILES = (
    ("surveys.csv", "survey"),
    ("tickets.csv", "tickets"),
    ("reviews.csv", "reviews"),
    ("social.jsonl", "parallax"),
    ("agent_notes.jsonl", "parallax"),
)
HELD_OUT = 25  # social messages kept back, then attached one by one to time the incremental path


@dataclass(frozen=True)
class Pairwise:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int


@dataclass(frozen=True)
class SimReport:
    interactions: int
    true_customers: int
    stages: dict[str, dict[str, Pairwise]]
    customers_after: dict[str, int]
    seconds: dict[str, float]
    incremental_ms: tuple[float, ...]
    journeys: dict[str, JourneyStats]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: Mapping[Any, Hashable], truth: Mapping[Any, Hashable]) -> Pairwise:
    """Pairwise precision/recall of a clustering, counted from cluster sizes (no pair enumeration)."""
    items = [k for k in predicted if k in truth]
    both = sum(_pairs(n) for n in Counter((predicted[k], truth[k]) for k in items).values())
    pred = sum(_pairs(n) for n in Counter(predicted[k] for k in items).values())
    true = sum(_pairs(n) for n in Counter(truth[k] for k in items).values())
    p = both / pred if pred else 1.0
    r = both / true if true else 1.0
    return Pairwise(round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0, true, pred)


def _ingest(sim_dir: Path, session_factory: object, scratch: Path) -> None:
    from parallax.ingest.importer import ImportOptions, import_file
    from parallax.ingest.mapping import load_mapping

    for name, mapping in FILES:
        path = sim_dir / name
        if path.exists():
            options = ImportOptions(batch_size=2000, rejects_path=scratch / f"{name}.rejects.csv")
            import_file(path, load_mapping(mapping), session_factory, WORKSPACE, options)  # type: ignore[arg-type]


def read_truth(sim_dir: Path) -> tuple[dict[str, str], dict[Ident, str]]:
    """(external id → true customer, normalised identifier → true customer) from the truth folder."""
    with (sim_dir / "truth" / "interactions.csv").open(newline="") as handle:
        by_record = {row["id"]: row["customer_id"] for row in csv.DictReader(handle) if row["customer_id"]}
    by_ident: dict[Ident, str] = {}
    with (sim_dir / "truth" / "identities.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            value = row["value"]
            kinds = {
                "email": normalise_email(value),
                "phone": normalise_phone(value),
            }
            if row["kind"] in kinds and (norm := kinds[row["kind"]]):
                by_ident[Ident(row["kind"], norm)] = row["customer_id"]
            elif row["kind"] == "handle":
                for platform in ("twitter", "facebook", "instagram"):
                    if handle_value := normalise_handle(value, platform):
                        by_ident[Ident("handle", handle_value)] = row["customer_id"]
    return by_record, by_ident


def _score(
    session: Session, views: Sequence[InteractionView], truth: tuple[dict[str, str], dict[Ident, str]]
) -> dict[str, Pairwise]:
    by_record, by_ident = truth
    canon: dict[int, int] = {}
    predicted = {}
    for view in views:
        if view.customer_id is not None and view.external_id in by_record:
            cid = canon.setdefault(view.customer_id, repo.canonical_id(session, WORKSPACE, view.customer_id))
            predicted[view.external_id] = cid
    owner = {}
    hashes = {hash_ident(i, WORKSPACE): i for i in by_ident}
    for row in repo.identifiers_by_hash(session, WORKSPACE, hashes):
        if row.customer_id is not None:
            owner[hashes[row.value_hash]] = repo.canonical_id(session, WORKSPACE, row.customer_id)
    return {
        "interactions": pairwise(predicted, by_record),
        "identifiers": pairwise(owner, by_ident),
    }


def channel_identity(views: Sequence[InteractionView]) -> dict[int, Hashable]:
    """Who each interaction is from as its channel alone sees it: its first identifier, else itself."""
    keys: dict[int, Hashable] = {}
    ticket_key: dict[str, Hashable] = {}
    for view in views:
        idents = view.identifiers()
        if view.inbound:
            keys[view.id] = idents[0] if idents else ("interaction", view.id)
            if view.ticket_id:
                ticket_key.setdefault(view.ticket_id, keys[view.id])
    for view in views:
        if not view.inbound:
            keys[view.id] = ticket_key.get(view.ticket_id or "", ("interaction", view.id))
    return keys


def journey_figures(
    views: Sequence[InteractionView], by_record: Mapping[str, str]
) -> dict[str, JourneyStats]:
    """Repeat effort and closed-but-not-resolved counted with no linking, with linking, and by truth."""
    note_owner = {v.ticket_id: by_record.get(v.external_id) for v in views if v.inbound and v.ticket_id}
    groupings: dict[str, dict[Hashable, list[InteractionView]]] = {
        k: defaultdict(list) for k in ("unlinked", "linked", "truth")
    }
    unlinked = channel_identity(views)
    for view in views:
        groupings["unlinked"][unlinked[view.id]].append(view)
        groupings["linked"][view.customer_id or ("interaction", view.id)].append(view)
        true = (
            by_record.get(view.external_id)
            or note_owner.get(view.ticket_id or "")
            or ("interaction", view.id)
        )
        groupings["truth"][true].append(view)
    return {name: stats(groups, {}) for name, groups in groupings.items()}


def _split_social(sim_dir: Path, scratch: Path) -> tuple[Path, Path]:
    """Copy the world to ``scratch`` with the last social messages held back in a file of their own."""
    lines = (sim_dir / "social.jsonl").read_text().splitlines()
    main, held = scratch / "social.jsonl", scratch / "held_out.jsonl"
    main.write_text("\n".join(lines[:-HELD_OUT]) + "\n")
    held.write_text("\n".join(lines[-HELD_OUT:]) + "\n")
    for name, _ in FILES:
        if name != "social.jsonl" and (sim_dir / name).exists():
            (scratch / name).symlink_to((sim_dir / name).resolve())
    return main, held


def _timed_incremental(session_factory: object, held: Path, scratch: Path) -> tuple[float, ...]:
    """Ingest the held-back messages and attach each alone (index lookup + small Splink comparison)."""
    from parallax.ingest.importer import ImportOptions, import_file
    from parallax.ingest.mapping import load_mapping

    options = ImportOptions(rejects_path=scratch / "held.rejects.csv")
    import_file(held, load_mapping("parallax"), session_factory, WORKSPACE, options)  # type: ignore[arg-type]
    from parallax.identity.linkage import warm_up

    warm_up()  # a server builds its scorer once at start; time the steady state, as a customer sees it
    timings = []
    with session_scope(session_factory) as session:  # type: ignore[arg-type]
        for view in repo.interaction_views(session, WORKSPACE, unattached_only=True):
            started = time.perf_counter()
            resolve_one(session, WORKSPACE, view, utcnow(), probabilistic=True)
            session.flush()
            timings.append(round((time.perf_counter() - started) * 1000, 1))
    return tuple(timings)


def evaluate_sim(sim_dir: Path) -> SimReport:
    """Ingest a simulated world into a scratch SQLite store, link it, and score every stage."""
    truth = read_truth(sim_dir)
    with tempfile.TemporaryDirectory(prefix="parallax-linkage-") as tmp:
        scratch = Path(tmp)
        _split_social(sim_dir, scratch)
        engine = make_engine(f"sqlite:///{scratch / 'eval.sqlite'}")
        upgrade(engine)
        factory = make_sessionmaker(engine)
        _ingest(scratch, factory, scratch)
        stages, seconds, customers = {}, {}, {}
        with session_scope(factory) as session:
            started = time.perf_counter()
            link_unattached(session, WORKSPACE, utcnow())
            seconds["deterministic"] = round(time.perf_counter() - started, 2)
            stages["deterministic"] = _score(session, repo.interaction_views(session, WORKSPACE), truth)
            customers["deterministic"] = len(repo.active_customers(session, WORKSPACE))
            started = time.perf_counter()
            recluster(session, WORKSPACE, utcnow())
            seconds["recluster"] = round(time.perf_counter() - started, 2)
        incremental = _timed_incremental(factory, scratch / "held_out.jsonl", scratch)
        with session_scope(factory) as session:
            views = repo.interaction_views(session, WORKSPACE)
            stages["probabilistic"] = _score(session, views, truth)
            customers["probabilistic"] = len(repo.active_customers(session, WORKSPACE))
            figures = journey_figures(views, truth[0])
        engine.dispose()
    return SimReport(
        interactions=len(views),
        true_customers=len(set(truth[0].values())),
        stages=stages,
        customers_after=customers,
        seconds=seconds,
        incremental_ms=incremental,
        journeys=figures,
    )
