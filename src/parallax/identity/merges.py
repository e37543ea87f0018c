"""Merges and unmerges of customers, each an IdentityEvent that records who, what and why.

A merge moves every row the source customer holds (identifiers, interactions, cases) to the target and
keeps the ids it moved in the event, so an unmerge moves exactly those back; interactions that arrived
after the merge through the source's identifiers go back too. Nothing is deleted. An unmerge also vetoes
the pair: automatic linkage never joins those two customers again (a person may still merge them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.normalise import hash_ident
from parallax.kit.errors import Conflict, ValidationFailed
from parallax.store.models import IdentityEvent


def merge(
    session: Session,
    workspace_id: str,
    source_id: int,
    target_id: int,
    *,
    actor: str,
    reason: str,
    now: datetime,
    evidence: dict[str, Any] | None = None,
) -> IdentityEvent:
    """Fold ``source`` into ``target`` (both taken at their current canonical customer)."""
    source_id = repo.canonical_id(session, workspace_id, source_id)
    target_id = repo.canonical_id(session, workspace_id, target_id)
    if source_id == target_id:
        raise Conflict(f"customers {source_id} and {target_id} are already one customer")
    moved = repo.ids_owned(session, workspace_id, source_id)
    repo.move_rows(session, workspace_id, moved, to_customer=target_id, from_customer=source_id)
    source = repo.get_customer(session, workspace_id, source_id)
    source.merged_into_id = target_id
    source.updated_at = now
    detail: dict[str, Any] = {"source": source_id, "target": target_id, **moved}
    if evidence:
        detail["evidence"] = evidence
    return repo.add_event(session, workspace_id, "merge", actor, reason, detail, now)


def _merge_to_undo(session: Session, workspace_id: str, customer_id: int) -> IdentityEvent:
    """The latest live merge that folded ``customer_id`` away, or else the latest one into it."""
    live = [e for e in repo.events(session, workspace_id, "merge") if e.undone_at is None]
    for key in ("source", "target"):
        for event in reversed(live):
            if event.detail.get(key) == customer_id:
                return event
    raise ValidationFailed(f"customer {customer_id} has no merge to undo")


def unmerge(
    session: Session, workspace_id: str, customer_id: int, *, actor: str, reason: str, now: datetime
) -> IdentityEvent:
    """Undo the merge that folded ``customer_id`` away (or the latest merge into it)."""
    merged = _merge_to_undo(session, workspace_id, customer_id)
    source_id, target_id = int(merged.detail["source"]), int(merged.detail["target"])
    holder = repo.canonical_id(session, workspace_id, target_id)
    repo.move_rows(session, workspace_id, merged.detail, to_customer=source_id, from_customer=holder)
    later = _later_arrivals(session, workspace_id, source_id, holder, set(merged.detail["interactions"]))
    repo.attach(session, workspace_id, later, source_id)
    source = repo.get_customer(session, workspace_id, source_id)
    source.merged_into_id = None
    source.updated_at = now
    merged.undone_at = now
    detail = {"source": source_id, "target": target_id, "merge_event": merged.id, "later_interactions": later}
    return repo.add_event(session, workspace_id, "unmerge", actor, reason, detail, now)


def _later_arrivals(
    session: Session, workspace_id: str, source_id: int, holder_id: int, already: set[int]
) -> list[int]:
    """Interactions the holder gained after the merge through identifiers that are the source's again."""
    own = {row.value_hash for row in repo.identifiers_of_customer(session, workspace_id, source_id)}
    if not own:
        return []
    theirs = {row.value_hash for row in repo.identifiers_of_customer(session, workspace_id, holder_id)}
    later = []
    for view in repo.interaction_views(session, workspace_id, customer_ids=[holder_id]):
        if view.id in already:
            continue
        hashes = {hash_ident(i, workspace_id) for i in view.identifiers()}
        if hashes & own and not hashes & theirs:
            later.append(view.id)
    return later


def vetoed_pairs(session: Session, workspace_id: str) -> set[frozenset[int]]:
    """Pairs a person split apart: automatic linkage must not join them again."""
    return {
        frozenset((int(e.detail["source"]), int(e.detail["target"])))
        for e in repo.events(session, workspace_id, "unmerge")
    }


def is_vetoed(session: Session, workspace_id: str, a: int, b: int, vetoes: set[frozenset[int]]) -> bool:
    """True when any customer folded into ``a`` and any folded into ``b`` were split apart by a person."""
    if not vetoes:
        return False
    group_a = _members(session, workspace_id, a)
    group_b = _members(session, workspace_id, b)
    return any(frozenset((x, y)) in vetoes for x in group_a for y in group_b)


def _members(session: Session, workspace_id: str, customer_id: int) -> set[int]:
    edges = [
        (int(e.detail["source"]), int(e.detail["target"]))
        for e in repo.events(session, workspace_id, "merge")
        if e.undone_at is None
    ]
    members = {customer_id}
    grown = True
    while grown:
        before = len(members)
        members |= {source for source, target in edges if target in members}
        grown = len(members) > before
    return members
