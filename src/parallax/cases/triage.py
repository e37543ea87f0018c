"""Routing new cases: suggested priority from the customer and the message, then the first matching rule,
then the SLA clock. Safe to run twice: a case is triaged once (``detail["triaged"]``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.cases import repository as repo
from parallax.cases.priority import PrioritySignals, is_public, suggest_priority
from parallax.cases.routing import CaseFacts, Decision, RoutingRule, route
from parallax.cases.service import due_at, record
from parallax.store.models import Case

ACTOR = "system:routing"


def facts_of(session: Session, case: Case) -> tuple[CaseFacts, PrioritySignals]:
    customer = repo.customer_of(session, case)
    inbound = repo.latest_inbound(session, case)
    language, sentiment, category = repo.sentiment_of(session, inbound.id) if inbound else (None, None, None)
    tier = customer.loyalty_tier if customer else None
    journey = (case.detail or {}).get("journey") or {}
    signals = PrioritySignals(
        loyalty_tier=tier,
        sentiment=sentiment,
        repeat_contacts=int(journey.get("repeat_contacts") or 0),
        public=is_public(case.channel),
    )
    facts = CaseFacts(
        category=case.category or category,
        language=language,
        priority=suggest_priority(signals),
        loyalty_tier=tier,
        channel=case.channel,
    )
    return facts, signals


def triage_case(session: Session, case: Case, rules: list[RoutingRule], now: datetime) -> Decision | None:
    facts, _ = facts_of(session, case)
    decision = route(facts, rules)
    case.priority = (decision.priority if decision and decision.priority else None) or facts.priority
    if decision is not None:
        case.queue = decision.queue or case.queue
        case.assignee = decision.assignee or case.assignee
    case.category = case.category or facts.category
    case.sla_due_at = due_at(case)
    case.detail = {**(case.detail or {}), "triaged": now.isoformat()}
    record(
        session,
        case,
        "routed",
        ACTOR,
        now,
        rule=decision.rule if decision else None,
        queue=case.queue,
        priority=case.priority,
    )
    return decision


def triage_new(session: Session, workspace_id: str, now: datetime, limit: int = 1_000) -> int:
    """Route up to ``limit`` active cases not triaged yet; returns how many were."""
    rules = [rule for _, rule in repo.routing_rules(session, workspace_id)]
    query = (
        select(Case)
        .where(Case.workspace_id == workspace_id, Case.status.in_(("new", "open")), Case.sla_due_at.is_(None))
        .order_by(Case.id)
        .limit(limit)
    )
    done = 0
    for case in session.scalars(query):
        if "triaged" not in (case.detail or {}):
            triage_case(session, case, rules, now)
            done += 1
    return done
