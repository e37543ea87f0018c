"""The customer 360 for pages: identity's profile, read through queries that lead with the customer's own
index (a customer's rows are found by ``customer_id``, never by scanning the workspace's time index).

The logic (threading, trend, case summaries) is the identity room's; only the reads differ, because at a
million interactions the workspace-wide plans take seconds (see BENCHMARKS.md, web). History texts are raw
here: pages show them through ``parallax.web.redaction`` (the redaction policy for the user's role).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.journeys import thread
from parallax.identity.profile import HISTORY_LIMIT, CaseSummary, HistoryItem, Profile, identifiers, trend
from parallax.identity.views import InteractionView
from parallax.store.models import Case, CaseEvent, Enrichment, Interaction


def _views(session: Session, workspace_id: str, customer_id: int) -> list[InteractionView]:
    columns = [getattr(Interaction, name) for name in repo.VIEW_COLUMNS]
    # No workspace predicate in SQL: it would steer SQLite onto the (workspace, time) index. Checked below.
    query = select(Interaction.workspace_id, *columns).where(Interaction.customer_id == customer_id)
    views = []
    for ws, *row in session.execute(query):
        if ws != workspace_id:
            continue
        values = dict(zip(repo.VIEW_COLUMNS, row, strict=True))
        values["segments"] = dict(values["segments"] or {})
        views.append(InteractionView(**values))
    return sorted(views, key=lambda v: (v.occurred_at, v.id))


def _enrichment(session: Session, workspace_id: str, ids: Sequence[int]) -> dict[int, Enrichment]:
    found: dict[int, Enrichment] = {}
    for start in range(0, len(ids), 500):
        query = select(Enrichment).where(
            Enrichment.interaction_id.in_(ids[start : start + 500]), Enrichment.current.is_(True)
        )
        found.update({e.interaction_id: e for e in session.scalars(query) if e.workspace_id == workspace_id})
    return found


def _threaded(session: Session, ids: Sequence[int]) -> dict[int, int]:
    query = select(CaseEvent.interaction_id, CaseEvent.case_id).where(
        CaseEvent.kind == "interaction", CaseEvent.interaction_id.in_(list(ids))
    )
    return {int(i): int(c) for i, c in session.execute(query).all() if i is not None}


def _summary(case: Case) -> CaseSummary:
    journey = (case.detail or {}).get("journey") or {}
    return CaseSummary(
        case.id, case.title, case.status, case.opened_at, case.closed_at, case.channel,
        int(journey.get("repeat_contacts") or 0), bool(journey.get("closed_not_resolved")),
    )  # fmt: skip


def customer_profile(session: Session, workspace_id: str, customer_id: int) -> Profile:
    """Identity's ``build_profile``, with customer-first reads; a merged-away id gives its survivor."""
    customer = repo.get_customer(session, workspace_id, repo.canonical_id(session, workspace_id, customer_id))
    views = _views(session, workspace_id, customer.id)
    ids = [v.id for v in views]
    enrichment = _enrichment(session, workspace_id, ids)
    threaded = _threaded(session, ids) if ids else {}
    history = tuple(
        HistoryItem(
            v.id, v.occurred_at, v.channel, v.kind, v.direction,
            v.text,  # raw: the page shows it through the redaction policy for the user's role
            enrichment[v.id].sentiment_score if v.id in enrichment else None,
            threaded.get(v.id),
        )
        for v in reversed(views[-HISTORY_LIMIT:])
    )  # fmt: skip
    sentiment = [
        (v.occurred_at, float(e.sentiment_score))
        for v in views
        if v.inbound and (e := enrichment.get(v.id)) is not None and e.sentiment_score is not None
    ]
    cases = [_summary(c) for c in repo.cases_of_customer(session, workspace_id, customer.id)]
    categories = {i: e.category for i, e in enrichment.items() if e.category}
    merged_from = [
        int(e.detail["source"])
        for e in repo.events(session, workspace_id, "merge")
        if e.undone_at is None and e.detail.get("target") == customer.id
    ]
    return Profile(
        id=customer.id, display_name=customer.display_name, loyalty_tier=customer.loyalty_tier,
        value=customer.value, created_at=customer.created_at, merged_from=tuple(merged_from),
        identifiers=tuple(identifiers(session, workspace_id, customer.id)),
        channels=dict(Counter(v.channel for v in views if v.inbound)), interactions=len(views),
        history=history,
        open_cases=tuple(c for c in cases if c.status not in ("resolved", "closed")),
        past_cases=tuple(c for c in cases if c.status in ("resolved", "closed")),
        sentiment=tuple(sentiment), sentiment_trend=trend(sentiment),
        repeat_effort=sum(j.repeat_contacts for j in thread(views, categories)),
    )  # fmt: skip
