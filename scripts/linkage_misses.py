"""Where probabilistic linkage misses on a simulated world: a development aid, not part of the product.

Ingests a world (``parallax simulate``) into a scratch SQLite store and links it deterministically once
(cached as a pickle of interaction views beside the world), then runs ``predict_links`` on the
deterministic clusters and scores pairs of interactions against ``truth/interactions.csv``. With
``--misses N`` it prints N true customers that stay split, fragment by fragment, so one can read what
evidence each fragment carries. Truth is read only here, to score and to show; never at link time.

    .venv/bin/python scripts/linkage_misses.py /tmp/h5/sim11 --misses 15
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from parallax.identity import repository as repo
from parallax.identity.features import person_record
from parallax.identity.linkage import predict_links
from parallax.identity.resolve import link_unattached
from parallax.identity.simeval import FILES, WORKSPACE, _ingest, pairwise, read_truth
from parallax.identity.views import InteractionView
from parallax.kit.clock import utcnow
from parallax.kit.db import make_engine, make_sessionmaker, session_scope
from parallax.store.migrate import upgrade


def deterministic_views(sim_dir: Path) -> list[InteractionView]:
    """Every interaction with its deterministic customer; cached in ``sim_dir/deterministic.pickle``."""
    cache = sim_dir / "deterministic.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    with tempfile.TemporaryDirectory(prefix="parallax-misses-") as tmp:
        scratch = Path(tmp)
        for name, _ in FILES:
            if (sim_dir / name).exists():
                (scratch / name).symlink_to((sim_dir / name).resolve())
        engine = make_engine(f"sqlite:///{scratch / 'eval.sqlite'}")
        upgrade(engine)
        factory = make_sessionmaker(engine)
        _ingest(scratch, factory, scratch)
        with session_scope(factory) as session:
            link_unattached(session, WORKSPACE, utcnow())
            views = [_canonical(session, v) for v in repo.interaction_views(session, WORKSPACE)]
        engine.dispose()
    cache.write_bytes(pickle.dumps(views))
    return views


def _canonical(session: object, view: InteractionView) -> InteractionView:
    from dataclasses import replace

    if view.customer_id is None:
        return view
    return replace(view, customer_id=repo.canonical_id(session, WORKSPACE, view.customer_id))  # type: ignore[arg-type]


def clusters_after_links(views: list[InteractionView]) -> dict[int, int]:
    """Each deterministic customer's cluster after the probabilistic links (union-find over the links)."""
    by_customer: dict[int, list[InteractionView]] = defaultdict(list)
    for view in views:
        if view.customer_id is not None:
            by_customer[view.customer_id].append(view)
    records = [person_record(cid, vs) for cid, vs in sorted(by_customer.items())]
    started = time.process_time()
    links = predict_links(records)
    seconds = time.process_time() - started
    print(f"predict_links: {len(records)} records, {len(links)} links, {seconds:.1f} CPU s")
    root = {cid: cid for cid in by_customer}

    def find(k: int) -> int:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    for link in links:
        root[find(link.left)] = find(link.right)
    return {cid: find(cid) for cid in by_customer}


def _show(view: InteractionView) -> str:
    who = " ".join(
        f"{k}={v}"
        for k, v in (
            ("name", view.author_name),
            ("handle", view.author_handle),
            ("email", view.author_email),
            ("phone", view.author_phone),
            ("loyalty", view.loyalty_id),
            ("ref", view.booking_ref),
            ("ticket", view.ticket_id),
            ("reply_to", view.in_reply_to),
        )
        if v
    )
    segs = {k: v for k, v in view.segments.items() if k in ("flight_number", "trip_date", "route", "airport")}
    return f"    {view.occurred_at:%m-%d %H:%M} {view.channel:9} {who} {segs} | {(view.text or '')[:110]}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sims", nargs="+", type=Path)
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--worst", action="store_true", help="show the costliest splits first")
    args = parser.parse_args()
    for sim_dir in args.sims:
        views = deterministic_views(sim_dir)
        by_record, _ = read_truth(sim_dir)
        cluster = clusters_after_links(views)
        det = {v.external_id: v.customer_id for v in views if v.customer_id is not None}
        linked = {v.external_id: cluster[v.customer_id] for v in views if v.customer_id is not None}
        print(sim_dir, "deterministic", pairwise(det, by_record), "\n  linked", pairwise(linked, by_record))
        if args.misses:
            _print_misses(views, by_record, cluster, args.misses, args.worst)
    return 0


def _lost_pairs(sizes: list[int]) -> int:
    total = sum(sizes)
    return (total * (total - 1) - sum(n * (n - 1) for n in sizes)) // 2


def _print_misses(
    views: list[InteractionView], by_record: dict[str, str], cluster: dict[int, int], n: int, worst: bool
) -> None:
    fragments: dict[str, dict[int, list[InteractionView]]] = defaultdict(lambda: defaultdict(list))
    for view in views:
        if view.customer_id is not None and view.external_id in by_record:
            fragments[by_record[view.external_id]][cluster[view.customer_id]].append(view)
    split = sorted(person for person, parts in fragments.items() if len(parts) > 1)
    random.Random(5).shuffle(split)
    if worst:  # the splits that cost most pairs first
        split.sort(key=lambda p: -_lost_pairs([len(v) for v in fragments[p].values()]))
    lost = sum(_lost_pairs([len(v) for v in fragments[p].values()]) for p in split)
    print(f"  {len(split)} true customers split, {lost} pairs lost")
    for person in split[:n]:
        print(f"  {person}:")
        for part, part_views in fragments[person].items():
            print(f"   cluster {part} ({len(part_views)})")
            for view in sorted(part_views, key=lambda v: v.occurred_at)[:6]:
                print(_show(view))


if __name__ == "__main__":
    sys.exit(main())
