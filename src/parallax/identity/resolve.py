"""Attach interactions to customers: deterministic keys first, then a small probabilistic comparison.

``resolve_one`` is the incremental path (an index lookup on identifier hashes, then Splink on a handful of
candidates), fast enough to run as each interaction arrives. ``link_unattached`` runs the deterministic
part over a backlog; ``recluster`` (in recluster.py) re-scores everyone and adds the links found since.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.features import mentioned_booking_refs, mentioned_codes, name_key, person_record
from parallax.identity.merges import is_vetoed, merge, vetoed_pairs
from parallax.identity.normalise import hash_ident, redact
from parallax.identity.views import InteractionView
from parallax.store.models import Customer

SYSTEM = "system:identity"


@dataclass(frozen=True)
class Resolution:
    """Where one interaction went, and why."""

    interaction_id: int
    customer_id: int | None
    how: str  # identifier | ticket | probabilistic | new | outbound
    merged: tuple[int, ...] = ()


def _short_name(raw: str | None) -> str:
    """A display name that identifies without exposing: first name and last initial."""
    words = name_key(raw or "").split()
    if not words:
        return ""
    first = words[0].capitalize()
    return f"{first} {words[-1][0].upper()}." if len(words) > 1 else first


def refresh_profile(customer: Customer, view: InteractionView, now: datetime) -> None:
    if not customer.display_name and (short := _short_name(view.author_name)):
        customer.display_name = short
    tier = view.segments.get("loyalty_tier")
    if tier:
        customer.loyalty_tier = str(tier)[:40]
    value = view.segments.get("customer_value") or view.segments.get("lifetime_value")
    if value is not None:
        with contextlib.suppress(TypeError, ValueError):
            customer.value = float(value)
    customer.updated_at = now


def _owners(session: Session, workspace_id: str, view: InteractionView) -> list[int]:
    hashes = [hash_ident(ident, workspace_id) for ident in view.identifiers()]
    owners: list[int] = []
    for row in repo.identifiers_by_hash(session, workspace_id, hashes):
        if row.customer_id is not None:
            owner = repo.canonical_id(session, workspace_id, row.customer_id)
            if owner not in owners:
                owners.append(owner)
    return owners


def _join_owners(
    session: Session, workspace_id: str, owners: list[int], view: InteractionView, now: datetime
) -> tuple[int, tuple[int, ...]]:
    """Several customers share this interaction's identifiers: one person, unless a person said no."""
    keep = min(owners)
    vetoes = vetoed_pairs(session, workspace_id)
    merged = []
    kinds = sorted({ident.kind for ident in view.identifiers()})
    for other in sorted(set(owners) - {keep}):
        if is_vetoed(session, workspace_id, keep, other, vetoes):
            continue
        reason = f"interaction {view.id} carries identifiers ({', '.join(kinds)}) of both"
        merge(session, workspace_id, other, keep, actor=SYSTEM, reason=reason, now=now)
        merged.append(other)
    return keep, tuple(merged)


def _probabilistic(session: Session, workspace_id: str, view: InteractionView, now: datetime) -> int | None:
    """Score the new author against the few customers sharing a name with them, or owning a booking ref or
    a ticket they mention."""
    from parallax.identity.linkage import score_candidates

    names = [view.author_name.strip().lower()] if view.author_name else []
    refs = sorted(mentioned_booking_refs(view.text))
    tickets = sorted(mentioned_codes(view.text))
    candidates = repo.candidate_customers(session, workspace_id, names, refs, tickets=tickets)
    if not candidates:
        return None
    canon = sorted({repo.canonical_id(session, workspace_id, c) for c in candidates})
    history = repo.interaction_views(session, workspace_id, customer_ids=canon)
    records = [person_record(c, [v for v in history if v.customer_id == c]) for c in canon]
    links = score_candidates(person_record(-1, [view]), records)
    if not links:
        return None
    best = max(links, key=lambda link: link.weight)
    chosen = best.right if best.left == -1 else best.left
    detail = {"interaction": view.id, "customer": chosen, "explanation": best.explanation()}
    repo.add_event(session, workspace_id, "link", SYSTEM, "probabilistic match", detail, now)
    return chosen


def resolve_one(
    session: Session, workspace_id: str, view: InteractionView, now: datetime, probabilistic: bool = True
) -> Resolution:
    """Attach one interaction to a customer, creating identifiers (hashed) and the customer as needed."""
    if not view.inbound:
        owner = repo.ticket_owner(session, workspace_id, view.ticket_id) if view.ticket_id else None
        if owner is not None:
            repo.attach(session, workspace_id, [view.id], owner)
        return Resolution(view.id, owner, "outbound")
    owners = _owners(session, workspace_id, view)
    merged: tuple[int, ...] = ()
    if owners:
        customer_id, how = owners[0], "identifier"
        if len(owners) > 1:
            customer_id, merged = _join_owners(session, workspace_id, owners, view, now)
    elif view.ticket_id and (owner := repo.ticket_owner(session, workspace_id, view.ticket_id)):
        customer_id, how = owner, "ticket"
    elif probabilistic and (match := _probabilistic(session, workspace_id, view, now)) is not None:
        customer_id, how = match, "probabilistic"
    else:
        customer_id, how = repo.new_customer(session, workspace_id, now).id, "new"
    _record_identifiers(session, workspace_id, view, customer_id, now)
    repo.attach(session, workspace_id, [view.id], customer_id)
    refresh_profile(repo.get_customer(session, workspace_id, customer_id), view, now)
    return Resolution(view.id, customer_id, how, merged)


def _record_identifiers(
    session: Session, workspace_id: str, view: InteractionView, customer_id: int, now: datetime
) -> None:
    idents = {hash_ident(ident, workspace_id): ident for ident in view.identifiers()}
    known = {row.value_hash for row in repo.identifiers_by_hash(session, workspace_id, idents)}
    for value_hash, ident in idents.items():
        if value_hash not in known:
            repo.add_identifier(
                session, workspace_id, customer_id, ident.kind, value_hash, redact(ident), now
            )


def resolve_ids(
    session: Session,
    workspace_id: str,
    interaction_ids: Sequence[int],
    now: datetime,
    probabilistic: bool = True,
) -> list[Resolution]:
    """Incremental entry point: resolve the given interactions, in time order."""
    views = repo.interaction_views(session, workspace_id, ids=interaction_ids)
    return [resolve_one(session, workspace_id, v, now, probabilistic) for v in views]


def link_unattached(
    session: Session, workspace_id: str, now: datetime, probabilistic: bool = False
) -> list[Resolution]:
    """Attach every interaction that has no customer yet (inbound first, so outbound finds its ticket)."""
    if not probabilistic:
        from parallax.identity.backlog import link_backlog

        return link_backlog(session, workspace_id, now)
    views = repo.interaction_views(session, workspace_id, unattached_only=True)
    ordered = [v for v in views if v.inbound] + [v for v in views if not v.inbound]
    return [resolve_one(session, workspace_id, v, now, probabilistic) for v in ordered]
