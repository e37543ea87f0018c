"""Deterministic linking of a whole backlog at once: one union-find over interactions, identifier hashes,
tickets and the customers already known, then bulk writes. Same outcome as ``resolve_one`` row by row,
minus the per-row queries; a component touching customers a person split apart falls back to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.merges import is_vetoed, merge, vetoed_pairs
from parallax.identity.normalise import hash_ident, redact
from parallax.identity.resolve import SYSTEM, Resolution, refresh_profile, resolve_one
from parallax.identity.views import InteractionView
from parallax.store.models import Customer, Identifier, Interaction


class UnionFind:
    """Disjoint sets over hashable nodes, with path halving."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, node: Hashable) -> Hashable:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self, nodes: Iterable[Hashable]) -> dict[Hashable, list[Hashable]]:
        out: dict[Hashable, list[Hashable]] = defaultdict(list)
        for node in nodes:
            out[self.find(node)].append(node)
        return out


def _known_owners(session: Session, workspace_id: str, hashes: Iterable[str]) -> dict[str, int]:
    owners = {}
    for row in repo.identifiers_by_hash(session, workspace_id, hashes):
        if row.customer_id is not None:
            owners[row.value_hash] = repo.canonical_id(session, workspace_id, row.customer_id)
    return owners


def _ticket_owners(session: Session, workspace_id: str, tickets: set[str]) -> dict[str, int]:
    owners: dict[str, int] = {}
    ids = sorted(tickets)
    for start in range(0, len(ids), 500):
        query = select(Interaction.ticket_id, Interaction.customer_id).where(
            Interaction.workspace_id == workspace_id,
            Interaction.ticket_id.in_(ids[start : start + 500]),
            Interaction.customer_id.is_not(None),
        )
        for ticket, customer in session.execute(query):
            if ticket is not None and customer is not None:
                owners.setdefault(ticket, customer)
    return owners


def _components(
    views: list[InteractionView], workspace_id: str, owners: dict[str, int], tickets: dict[str, int]
) -> tuple[dict[Hashable, list[Hashable]], dict[int, dict[str, object]]]:
    uf = UnionFind()
    idents: dict[int, dict[str, object]] = {}
    for view in views:
        node = ("v", view.id)
        uf.find(node)
        idents[view.id] = {hash_ident(i, workspace_id): i for i in view.identifiers()}
        for value_hash in idents[view.id]:
            uf.union(node, ("h", value_hash))
            if value_hash in owners:
                uf.union(node, ("c", owners[value_hash]))
        if view.ticket_id:
            uf.union(node, ("t", view.ticket_id))
            if view.ticket_id in tickets:
                uf.union(node, ("c", tickets[view.ticket_id]))
    return uf.groups(("v", v.id) for v in views), idents


def link_backlog(session: Session, workspace_id: str, now: datetime) -> list[Resolution]:
    """Attach every unattached interaction by identifiers and tickets; returns one resolution per row."""
    views = repo.interaction_views(session, workspace_id, unattached_only=True)
    inbound = [v for v in views if v.inbound]
    all_hashes = {hash_ident(i, workspace_id) for v in inbound for i in v.identifiers()}
    owners = _known_owners(session, workspace_id, all_hashes)
    tickets = _ticket_owners(session, workspace_id, {v.ticket_id for v in views if v.ticket_id})
    groups, idents = _components(inbound, workspace_id, owners, tickets)
    by_id = {v.id: v for v in inbound}
    vetoes = vetoed_pairs(session, workspace_id)
    known_hashes = set(owners)
    out: list[Resolution] = []
    assignments: dict[int, list[int]] = defaultdict(list)
    pending: list[tuple[list[InteractionView], list[int]]] = []
    for members in groups.values():
        group = [by_id[int(node[1])] for node in members]  # type: ignore[index]
        customers = sorted(
            {owners[h] for v in group for h in idents[v.id] if h in owners}
            | {tickets[v.ticket_id] for v in group if v.ticket_id in tickets}
        )
        if vetoes and any(
            is_vetoed(session, workspace_id, a, b, vetoes) for a in customers for b in customers
        ):
            out += [resolve_one(session, workspace_id, v, now, probabilistic=False) for v in group]
        else:
            pending.append((group, customers))
    fresh = _new_customers(session, workspace_id, sum(1 for _, customers in pending if not customers), now)
    loaded = {c.id: c for c in fresh}
    for group, customers in pending:
        target, how = (customers[0], "identifier") if customers else (fresh.pop().id, "new")
        for other in customers[1:]:
            merge(
                session,
                workspace_id,
                other,
                target,
                actor=SYSTEM,
                reason="backlog: shared identifier",
                now=now,
            )
        customer = loaded.get(target) or repo.get_customer(session, workspace_id, target)
        for view in group:
            assignments[target].append(view.id)
            for value_hash, ident in idents[view.id].items():
                if value_hash not in known_hashes:
                    known_hashes.add(value_hash)
                    session.add(_identifier(workspace_id, target, value_hash, ident, now))
            out.append(Resolution(view.id, target, how, tuple(customers[1:])))
            refresh_profile(customer, view, now)
    _write_assignments(session, workspace_id, assignments)
    out += _attach_outbound(session, workspace_id, [v for v in views if not v.inbound])
    return out


def _new_customers(session: Session, workspace_id: str, count: int, now: datetime) -> list[Customer]:
    rows = [
        Customer(workspace_id=workspace_id, display_name="", created_at=now, updated_at=now)
        for _ in range(count)
    ]
    session.add_all(rows)
    session.flush()
    return rows[::-1]


def _identifier(
    workspace_id: str, customer_id: int, value_hash: str, ident: object, now: datetime
) -> Identifier:
    return Identifier(
        workspace_id=workspace_id,
        customer_id=customer_id,
        kind=ident.kind,  # type: ignore[attr-defined]
        value_hash=value_hash,
        display=redact(ident),  # type: ignore[arg-type]
        created_at=now,
    )


def _write_assignments(session: Session, workspace_id: str, assignments: dict[int, list[int]]) -> None:
    """One executemany by primary key (ids were read from this workspace), not one UPDATE per customer."""
    session.flush()
    rows = [{"id": iid, "customer_id": cid} for cid, ids in assignments.items() for iid in ids]
    if rows:
        session.execute(update(Interaction), rows)


def _attach_outbound(
    session: Session, workspace_id: str, outbound: list[InteractionView]
) -> list[Resolution]:
    tickets = _ticket_owners(session, workspace_id, {v.ticket_id for v in outbound if v.ticket_id})
    assignments: dict[int, list[int]] = defaultdict(list)
    out = []
    for view in outbound:
        owner = tickets.get(view.ticket_id or "")
        if owner is not None:
            assignments[owner].append(view.id)
        out.append(Resolution(view.id, owner, "outbound"))
    _write_assignments(session, workspace_id, assignments)
    return out
