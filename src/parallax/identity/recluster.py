"""The periodic full pass: attach the backlog, score every customer against every blocked candidate with
Splink, and merge what the model links (each merge an undoable event carrying the link's explanation).

It only adds links: splitting people is a person's decision (unmerge), which the pass then respects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.features import PersonRecord, person_record
from parallax.identity.linkage import DEFAULT_THRESHOLD, Link, predict_links
from parallax.identity.merges import is_vetoed, merge, vetoed_pairs
from parallax.identity.resolve import link_unattached
from parallax.identity.views import InteractionView

ACTOR = "system:recluster"


@dataclass(frozen=True)
class ReclusterReport:
    attached: int
    customers_before: int
    links_found: int
    merges: int
    vetoed: int
    customers_after: int


def customer_records(session: Session, workspace_id: str) -> list[PersonRecord]:
    """One linkage record per live customer, from all of their interactions."""
    by_customer: dict[int, list[InteractionView]] = {}
    for view in repo.interaction_views(session, workspace_id):
        if view.customer_id is not None:
            by_customer.setdefault(view.customer_id, []).append(view)
    return [person_record(cid, views) for cid, views in sorted(by_customer.items())]


def apply_links(
    session: Session, workspace_id: str, links: list[Link], now: datetime, actor: str = ACTOR
) -> tuple[int, int]:
    """Merge each linked pair, strongest first, unless already one customer or split apart by a person."""
    vetoes = vetoed_pairs(session, workspace_id)
    merges = vetoed = 0
    for link in sorted(links, key=lambda lk: -lk.weight):
        left = repo.canonical_id(session, workspace_id, link.left)
        right = repo.canonical_id(session, workspace_id, link.right)
        if left == right:
            continue
        if is_vetoed(session, workspace_id, left, right, vetoes):
            vetoed += 1
            continue
        keep, fold = min(left, right), max(left, right)
        reason = f"probabilistic link p={link.probability:.4f}"
        merge(
            session,
            workspace_id,
            fold,
            keep,
            actor=actor,
            reason=reason,
            now=now,
            evidence=link.explanation(),
        )
        merges += 1
    return merges, vetoed


def recluster(
    session: Session, workspace_id: str, now: datetime, threshold: float = DEFAULT_THRESHOLD
) -> ReclusterReport:
    """Full re-clustering of one workspace; safe to run twice (the second run finds nothing new)."""
    attached = len(link_unattached(session, workspace_id, now))
    before = len(repo.active_customers(session, workspace_id))
    records = customer_records(session, workspace_id)
    links = predict_links(records, threshold)
    merges, vetoed = apply_links(session, workspace_id, links, now)
    after = len(repo.active_customers(session, workspace_id))
    return ReclusterReport(attached, before, len(links), merges, vetoed, after)
