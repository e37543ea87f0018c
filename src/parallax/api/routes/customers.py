"""Customers (360 profiles), their identifiers, merge/unmerge, and case threads per customer.

Every datetime goes out in UTC with its offset (``UtcDatetime``); identifiers only as redacted displays.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from parallax.api.deps import CallerDep, SessionDep
from parallax.api.errors import KEYED, errors
from parallax.api.types import RowId, UtcDatetime
from parallax.identity import repository as repo
from parallax.identity.merges import merge, unmerge
from parallax.identity.profile import build_profile, identifiers
from parallax.kit.clock import utcnow
from parallax.store.models import Case, IdentityEvent

router = APIRouter(tags=["customers"], responses=KEYED)


class CustomerOut(BaseModel):
    id: int
    display_name: str
    loyalty_tier: str | None
    value: float | None
    interactions: int
    created_at: UtcDatetime


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    next_cursor: int | None


@router.get("/v1/customers", response_model=CustomerPage)
def list_customers(
    caller: CallerDep,
    session: SessionDep,
    tier: str | None = None,
    cursor: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CustomerPage:
    """Live customers (merged-away ones left out), oldest first; pass ``next_cursor`` back as ``cursor``."""
    rows = repo.customers_page(session, caller.workspace_id, cursor, limit, tier)
    counts = repo.interaction_counts(session, caller.workspace_id, [r.id for r in rows])
    items = [
        CustomerOut(
            id=r.id,
            display_name=r.display_name,
            loyalty_tier=r.loyalty_tier,
            value=r.value,
            interactions=counts.get(r.id, 0),
            created_at=r.created_at,
        )
        for r in rows
    ]
    return CustomerPage(items=items, next_cursor=rows[-1].id if len(rows) == limit else None)


class IdentifierOut(BaseModel):
    id: int
    kind: str
    display: str = Field(description="Redacted: the value itself is only ever stored hashed.")
    created_at: UtcDatetime


class HistoryItemOut(BaseModel):
    id: int
    occurred_at: UtcDatetime
    channel: str
    kind: str
    direction: str
    text: str | None = Field(description="Redacted.")
    sentiment: float | None
    case_id: int | None


class CaseSummaryOut(BaseModel):
    id: int
    title: str
    status: str
    opened_at: UtcDatetime
    closed_at: UtcDatetime | None
    channel: str | None
    repeat_contacts: int
    closed_not_resolved: bool


class ProfileOut(BaseModel):
    id: int
    display_name: str
    loyalty_tier: str | None
    value: float | None
    created_at: UtcDatetime
    merged_from: list[int]
    identifiers: list[IdentifierOut]
    channels: dict[str, int]
    interactions: int
    history: list[HistoryItemOut]
    open_cases: list[CaseSummaryOut]
    past_cases: list[CaseSummaryOut]
    sentiment: list[tuple[UtcDatetime, float]] = Field(description="(moment, sentiment -1..1), oldest first.")
    sentiment_trend: float | None
    repeat_effort: int


@router.get("/v1/customers/{customer_id}", response_model=ProfileOut, responses=errors(404))
def get_customer(customer_id: RowId, caller: CallerDep, session: SessionDep) -> ProfileOut:
    """The 360 profile; a merged-away id answers with the customer it now belongs to."""
    return ProfileOut.model_validate(asdict(build_profile(session, caller.workspace_id, customer_id)))


@router.get(
    "/v1/customers/{customer_id}/identifiers", response_model=list[IdentifierOut], responses=errors(404)
)
def get_identifiers(customer_id: RowId, caller: CallerDep, session: SessionDep) -> list[IdentifierOut]:
    """Identifiers as redacted displays; the values themselves are only ever stored hashed."""
    canonical = repo.canonical_id(session, caller.workspace_id, customer_id)
    return [
        IdentifierOut.model_validate(asdict(i)) for i in identifiers(session, caller.workspace_id, canonical)
    ]


class MergeIn(BaseModel):
    source_id: RowId
    target_id: RowId
    reason: str = Field(min_length=1, max_length=2000)
    actor: str = Field(default="api", max_length=200)


class UnmergeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    actor: str = Field(default="api", max_length=200)


class EventOut(BaseModel):
    id: int
    action: str
    actor: str
    reason: str
    source: int | None
    target: int | None
    created_at: UtcDatetime


def _event_out(event: IdentityEvent) -> EventOut:
    return EventOut(
        id=event.id,
        action=event.action,
        actor=event.actor,
        reason=event.reason,
        source=event.detail.get("source"),
        target=event.detail.get("target"),
        created_at=event.created_at,
    )


@router.post("/v1/customers/merge", response_model=EventOut, responses=errors(400, 413, 404, 409))
def post_merge(body: MergeIn, caller: CallerDep, session: SessionDep) -> EventOut:
    """Fold one customer into another; recorded with who and why, undone by unmerge."""
    event = merge(
        session,
        caller.workspace_id,
        body.source_id,
        body.target_id,
        actor=body.actor,
        reason=body.reason,
        now=utcnow(),
    )
    return _event_out(event)


@router.post("/v1/customers/{customer_id}/unmerge", response_model=EventOut, responses=errors(400, 413, 404))
def post_unmerge(customer_id: RowId, body: UnmergeIn, caller: CallerDep, session: SessionDep) -> EventOut:
    """Undo the merge that folded this customer away (or the latest merge into it); nothing is lost."""
    repo.get_customer(session, caller.workspace_id, customer_id)
    event = unmerge(
        session, caller.workspace_id, customer_id, actor=body.actor, reason=body.reason, now=utcnow()
    )
    return _event_out(event)


class CaseOut(BaseModel):
    id: int
    customer_id: int | None
    title: str
    status: str
    category: str | None
    channel: str | None
    queue: str | None
    assignee: str | None
    opened_at: UtcDatetime
    closed_at: UtcDatetime | None
    journey: dict[str, Any] | None


def _case_out(case: Case) -> CaseOut:
    return CaseOut(
        id=case.id,
        customer_id=case.customer_id,
        title=case.title,
        status=case.status,
        category=case.category,
        channel=case.channel,
        queue=case.queue,
        assignee=case.assignee,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        journey=(case.detail or {}).get("journey"),
    )


@router.get("/v1/customers/{customer_id}/cases", response_model=list[CaseOut], responses=errors(404))
def get_customer_cases(customer_id: RowId, caller: CallerDep, session: SessionDep) -> list[CaseOut]:
    """The customer's case threads, newest first, with their journey figures."""
    canonical = repo.canonical_id(session, caller.workspace_id, customer_id)
    return [_case_out(c) for c in repo.cases_of_customer(session, caller.workspace_id, canonical)]


@router.get("/v1/cases", response_model=list[CaseOut], responses=errors(404))
def get_cases(
    caller: CallerDep,
    session: SessionDep,
    customer_id: RowId | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CaseOut]:
    """Case threads, newest first; ``customer_id`` narrows to one customer (merges followed)."""
    canonical = None if customer_id is None else repo.canonical_id(session, caller.workspace_id, customer_id)
    return [_case_out(c) for c in repo.cases_of_customer(session, caller.workspace_id, canonical, limit)]
