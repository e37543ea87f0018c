"""Identity queries: the only module of the room that speaks SQL. Every query is scoped to one workspace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from parallax.identity.views import InteractionView, Reading
from parallax.kit.errors import NotFound
from parallax.store.models import (
    Case,
    CaseEvent,
    Customer,
    Enrichment,
    Identifier,
    IdentityEvent,
    Interaction,
)

VIEW_COLUMNS = (
    "id",
    "channel",
    "kind",
    "occurred_at",
    "direction",
    "author_handle",
    "author_email",
    "author_phone",
    "author_name",
    "loyalty_id",
    "booking_ref",
    "text",
    "ticket_id",
    "status",
    "closed_at",
    "in_reply_to",
    "external_id",
    "source",
    "customer_id",
    "score_type",
    "score_value",
    "segments",
)


def to_view(row: Interaction) -> InteractionView:
    values: dict[str, Any] = {name: getattr(row, name) for name in VIEW_COLUMNS}
    values["segments"] = dict(row.segments or {})
    return InteractionView(**values)


def interaction_views(
    session: Session,
    workspace_id: str,
    *,
    ids: Sequence[int] | None = None,
    customer_ids: Iterable[int] | None = None,
    unattached_only: bool = False,
    limit: int | None = None,
) -> list[InteractionView]:
    """Interactions in time order, optionally only some ids, some customers, or those not yet attached."""
    columns = [getattr(Interaction, name) for name in VIEW_COLUMNS]
    query = select(*columns).where(Interaction.workspace_id == workspace_id)
    if ids is not None:
        query = query.where(Interaction.id.in_(list(ids)))
    if customer_ids is not None:
        query = query.where(Interaction.customer_id.in_(list(customer_ids)))
    if unattached_only:
        query = query.where(Interaction.customer_id.is_(None))
    query = query.order_by(Interaction.occurred_at, Interaction.id)
    if limit is not None:
        query = query.limit(limit)
    # Plain columns, not ORM objects: the backlog reads tens of thousands of rows and needs no identity map.
    views = []
    for row in session.execute(query):
        values = dict(zip(VIEW_COLUMNS, row, strict=True))
        values["segments"] = dict(values["segments"] or {})
        views.append(InteractionView(**values))
    return views


def get_customer(session: Session, workspace_id: str, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.workspace_id != workspace_id:
        raise NotFound(f"no customer {customer_id}")
    return customer


def canonical_id(session: Session, workspace_id: str, customer_id: int) -> int:
    """Follow ``merged_into_id`` to the customer that now holds everything."""
    seen: set[int] = set()
    current = get_customer(session, workspace_id, customer_id)
    while current.merged_into_id is not None and current.id not in seen:
        seen.add(current.id)
        current = get_customer(session, workspace_id, current.merged_into_id)
    return current.id


def new_customer(session: Session, workspace_id: str, now: datetime) -> Customer:
    customer = Customer(workspace_id=workspace_id, display_name="", created_at=now, updated_at=now)
    session.add(customer)
    session.flush()
    return customer


def identifiers_by_hash(session: Session, workspace_id: str, hashes: Iterable[str]) -> list[Identifier]:
    wanted = list(set(hashes))
    if not wanted:
        return []
    query = select(Identifier).where(
        Identifier.workspace_id == workspace_id, Identifier.value_hash.in_(wanted)
    )
    return list(session.scalars(query.order_by(Identifier.id)))


def identifiers_of_customer(session: Session, workspace_id: str, customer_id: int) -> list[Identifier]:
    query = select(Identifier).where(
        Identifier.workspace_id == workspace_id, Identifier.customer_id == customer_id
    )
    return list(session.scalars(query.order_by(Identifier.kind, Identifier.id)))


def add_identifier(
    session: Session,
    workspace_id: str,
    customer_id: int,
    kind: str,
    value_hash: str,
    display: str,
    now: datetime,
) -> Identifier:
    row = Identifier(
        workspace_id=workspace_id,
        customer_id=customer_id,
        kind=kind,
        value_hash=value_hash,
        display=display,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def ids_owned(session: Session, workspace_id: str, customer_id: int) -> dict[str, list[int]]:
    """The ids of every row a customer holds: what a merge moves and an unmerge moves back."""

    def _ids(model: Any) -> list[int]:
        query = select(model.id).where(model.workspace_id == workspace_id, model.customer_id == customer_id)
        return list(session.scalars(query.order_by(model.id)))

    return {"identifiers": _ids(Identifier), "interactions": _ids(Interaction), "cases": _ids(Case)}


def move_rows(
    session: Session, workspace_id: str, rows: Mapping[str, Any], to_customer: int, from_customer: int
) -> None:
    """Move listed rows to ``to_customer``, but only those still held by ``from_customer``."""
    for key, model in (("identifiers", Identifier), ("interactions", Interaction), ("cases", Case)):
        ids = list(rows.get(key, ()))
        for start in range(0, len(ids), 500):
            session.execute(
                update(model)
                .where(
                    model.workspace_id == workspace_id,
                    model.customer_id == from_customer,
                    model.id.in_(ids[start : start + 500]),
                )
                .values(customer_id=to_customer)
            )


def attach(session: Session, workspace_id: str, interaction_ids: Sequence[int], customer_id: int) -> None:
    session.execute(
        update(Interaction)
        .where(Interaction.workspace_id == workspace_id, Interaction.id.in_(list(interaction_ids)))
        .values(customer_id=customer_id)
    )


def ticket_owner(session: Session, workspace_id: str, ticket_id: str) -> int | None:
    """The customer of a ticket: whoever owns an inbound interaction on it."""
    query = select(Interaction.customer_id).where(
        Interaction.workspace_id == workspace_id,
        Interaction.ticket_id == ticket_id,
        Interaction.customer_id.is_not(None),
    )
    return session.scalar(query.limit(1))


def candidate_customers(
    session: Session,
    workspace_id: str,
    names: Sequence[str],
    refs: Sequence[str],
    limit: int = 20,
    tickets: Sequence[str] = (),
) -> list[int]:
    """Customers worth a probabilistic look: same author name, or a booking ref or ticket the new record
    mentions."""
    clauses = []
    if names:
        clauses.append(func.lower(Interaction.author_name).in_(list(names)))
    if refs:
        clauses.append(Interaction.booking_ref.in_(list(refs)))
    if tickets:
        clauses.append(Interaction.ticket_id.in_(list(tickets)))
    if not clauses:
        return []
    query = (
        select(Interaction.customer_id)
        .where(Interaction.workspace_id == workspace_id, Interaction.customer_id.is_not(None), or_(*clauses))
        .distinct()
        .limit(limit)
    )
    return [cid for cid in session.scalars(query) if cid is not None]


def add_event(
    session: Session,
    workspace_id: str,
    action: str,
    actor: str,
    reason: str,
    detail: dict[str, Any],
    now: datetime,
) -> IdentityEvent:
    event = IdentityEvent(
        workspace_id=workspace_id, action=action, actor=actor, reason=reason, detail=detail, created_at=now
    )
    session.add(event)
    session.flush()
    return event


def events(session: Session, workspace_id: str, action: str | None = None) -> list[IdentityEvent]:
    query = select(IdentityEvent).where(IdentityEvent.workspace_id == workspace_id)
    if action is not None:
        query = query.where(IdentityEvent.action == action)
    return list(session.scalars(query.order_by(IdentityEvent.id)))


def active_customers(session: Session, workspace_id: str) -> list[Customer]:
    query = select(Customer).where(Customer.workspace_id == workspace_id, Customer.merged_into_id.is_(None))
    return list(session.scalars(query.order_by(Customer.id)))


def enrichment_of(
    session: Session, workspace_id: str, interaction_ids: Sequence[int]
) -> dict[int, Enrichment]:
    """The current enrichment row of each interaction that has one."""
    found: dict[int, Enrichment] = {}
    ids = list(interaction_ids)
    for start in range(0, len(ids), 500):
        query = select(Enrichment).where(
            Enrichment.workspace_id == workspace_id,
            Enrichment.current.is_(True),
            Enrichment.interaction_id.in_(ids[start : start + 500]),
        )
        found.update({row.interaction_id: row for row in session.scalars(query)})
    return found


def categories_of(session: Session, workspace_id: str, interaction_ids: Sequence[int]) -> dict[int, str]:
    rows = enrichment_of(session, workspace_id, interaction_ids)
    return {iid: row.category for iid, row in rows.items() if row.category}


def readings_of(session: Session, workspace_id: str, interaction_ids: Sequence[int]) -> dict[int, Reading]:
    """What enrichment read in each interaction that has a current row: category, sentiment, signals."""
    rows = enrichment_of(session, workspace_id, interaction_ids)
    return {iid: _reading(row) for iid, row in rows.items()}


def _reading(row: Enrichment) -> Reading:
    signals = (row.detail or {}).get("signals") or {}
    return Reading(
        category=row.category,
        sentiment=row.sentiment_label,
        signals={str(k): float(v) for k, v in signals.items() if isinstance(v, int | float)},
    )


def case_of_interactions(session: Session, workspace_id: str) -> dict[int, int]:
    """interaction id → case id, for every interaction already threaded into a case."""
    query = select(CaseEvent.interaction_id, CaseEvent.case_id).where(
        CaseEvent.workspace_id == workspace_id,
        CaseEvent.kind == "interaction",
        CaseEvent.interaction_id.is_not(None),
    )
    return {int(iid): int(cid) for iid, cid in session.execute(query).all() if iid is not None}


def unresolved_tickets(session: Session, workspace_id: str) -> dict[str, list[str]]:
    """Every ticket a case flags closed but not resolved, with the kinds of evidence found."""
    query = select(Case.detail).where(Case.workspace_id == workspace_id)
    found: dict[str, list[str]] = {}
    for detail in session.scalars(query):
        for flag in _flags((detail or {}).get("journey") or {}):
            found[str(flag["ticket_id"])] = list(flag.get("evidence") or [])
    return found


def _flags(journey: dict[str, Any]) -> list[dict[str, Any]]:
    """A case's flagged tickets; cases threaded before ``unresolved`` was kept name their first only."""
    if "unresolved" in journey:
        return list(journey["unresolved"] or [])
    first = journey.get("closed_not_resolved")
    return [first] if first else []


def cases_of_customer(
    session: Session, workspace_id: str, customer_id: int | None, limit: int | None = None
) -> list[Case]:
    query = select(Case).where(Case.workspace_id == workspace_id)
    if customer_id is not None:
        query = query.where(Case.customer_id == customer_id)
    query = query.order_by(Case.opened_at.desc(), Case.id.desc())
    return list(session.scalars(query if limit is None else query.limit(limit)))


def customers_page(
    session: Session, workspace_id: str, after_id: int | None, limit: int, tier: str | None = None
) -> list[Customer]:
    query = select(Customer).where(Customer.workspace_id == workspace_id, Customer.merged_into_id.is_(None))
    if tier is not None:
        query = query.where(Customer.loyalty_tier == tier)
    if after_id is not None:
        query = query.where(Customer.id > after_id)
    return list(session.scalars(query.order_by(Customer.id).limit(limit)))


def interaction_counts(session: Session, workspace_id: str, customer_ids: Sequence[int]) -> dict[int, int]:
    if not customer_ids:
        return {}
    query = (
        select(Interaction.customer_id, func.count())
        .where(Interaction.workspace_id == workspace_id, Interaction.customer_id.in_(list(customer_ids)))
        .group_by(Interaction.customer_id)
    )
    return {int(cid): int(n) for cid, n in session.execute(query).all() if cid is not None}
