"""All case queries: the inbox queue, one case and its events, the customer's latest inbound message, and
routing rules. Every query is scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parallax.cases.lifecycle import OPEN_STATUSES
from parallax.cases.routing import RoutingRule
from parallax.kit.errors import NotFound
from parallax.store.models import Case, CaseEvent, CaseRoutingRule, Customer, Enrichment, Interaction


@dataclass(frozen=True)
class InboxFilter:
    status: str | None = None  # a status, or "active" for new/open/pending
    channel: str | None = None
    queue: str | None = None
    priority: str | None = None
    assignee: str | None = None  # a name, or "-" for unassigned
    breached_at: datetime | None = None  # only cases whose SLA was due before this time
    customer_id: int | None = None


def get_case(session: Session, workspace_id: str, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.workspace_id != workspace_id:
        raise NotFound(f"no case {case_id}")
    return case


def list_cases(
    session: Session, workspace_id: str, f: InboxFilter, limit: int = 100, offset: int = 0
) -> list[Case]:
    """Most urgent first: breached or soonest SLA, then priority, then oldest."""
    query = _filtered(select(Case).where(Case.workspace_id == workspace_id), f)
    query = query.order_by(Case.sla_due_at.is_(None), Case.sla_due_at, Case.opened_at, Case.id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_cases(session: Session, workspace_id: str, f: InboxFilter) -> int:
    query = _filtered(select(func.count()).select_from(Case).where(Case.workspace_id == workspace_id), f)
    return int(session.scalar(query) or 0)


def _filtered(query: Any, f: InboxFilter) -> Any:
    if f.status == "active":
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif f.status:
        query = query.where(Case.status == f.status)
    for column, value in ((Case.channel, f.channel), (Case.queue, f.queue), (Case.priority, f.priority)):
        if value:
            query = query.where(column == value)
    if f.assignee == "-":
        query = query.where(Case.assignee.is_(None))
    elif f.assignee:
        query = query.where(Case.assignee == f.assignee)
    if f.breached_at is not None:
        query = query.where(Case.status.in_(OPEN_STATUSES - {"pending"}), Case.sla_due_at < f.breached_at)
    if f.customer_id is not None:
        query = query.where(Case.customer_id == f.customer_id)
    return query


def facets(session: Session, workspace_id: str) -> dict[str, list[str]]:
    """Distinct channels, queues and assignees: the filter menus."""
    out: dict[str, list[str]] = {}
    for name, column in (("channel", Case.channel), ("queue", Case.queue), ("assignee", Case.assignee)):
        query = select(column).where(Case.workspace_id == workspace_id, column.is_not(None)).distinct()
        out[name] = sorted(str(v) for v in session.scalars(query.limit(200)))
    return out


def events_of(session: Session, case: Case) -> list[tuple[CaseEvent, Interaction | None]]:
    query = (
        select(CaseEvent, Interaction)
        .outerjoin(Interaction, Interaction.id == CaseEvent.interaction_id)
        .where(CaseEvent.case_id == case.id, CaseEvent.workspace_id == case.workspace_id)
        .order_by(CaseEvent.created_at, CaseEvent.id)
    )
    return [(event, interaction) for event, interaction in session.execute(query).all()]


def last_reply(session: Session, case: Case) -> CaseEvent | None:
    query = select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "reply")
    return session.scalar(query.order_by(CaseEvent.id.desc()).limit(1))


def latest_event_id(session: Session, case: Case) -> int:
    return int(session.scalar(select(func.max(CaseEvent.id)).where(CaseEvent.case_id == case.id)) or 0)


def latest_inbound(session: Session, case: Case) -> Interaction | None:
    """The customer's most recent message in this case: where a reply goes back to."""
    query = (
        select(Interaction)
        .join(CaseEvent, CaseEvent.interaction_id == Interaction.id)
        .where(CaseEvent.case_id == case.id, Interaction.direction == "inbound")
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    )
    return session.scalar(query.limit(1))


def sentiment_of(session: Session, interaction_id: int) -> tuple[str | None, float | None, str | None]:
    """(language, sentiment score, category) of the current enrichment, if any."""
    row = session.execute(
        select(Enrichment.language, Enrichment.sentiment_score, Enrichment.category).where(
            Enrichment.interaction_id == interaction_id, Enrichment.current.is_(True)
        )
    ).first()
    return (row[0], row[1], row[2]) if row else (None, None, None)


def customer_of(session: Session, case: Case) -> Customer | None:
    return None if case.customer_id is None else session.get(Customer, case.customer_id)


def routing_rules(session: Session, workspace_id: str) -> list[tuple[int, RoutingRule]]:
    query = select(CaseRoutingRule).where(CaseRoutingRule.workspace_id == workspace_id)
    rows = session.scalars(query.order_by(CaseRoutingRule.position, CaseRoutingRule.id))
    return [
        (r.id, RoutingRule(r.name, dict(r.conditions or {}), r.queue, r.priority, r.assignee, r.enabled))
        for r in rows
    ]


def add_routing_rule(
    session: Session, workspace_id: str, rule: RoutingRule, position: int | None = None
) -> int:
    if position is None:
        last = session.scalar(
            select(func.max(CaseRoutingRule.position)).where(CaseRoutingRule.workspace_id == workspace_id)
        )
        position = (last or 0) + 10
    row = CaseRoutingRule(
        workspace_id=workspace_id,
        position=position,
        name=rule.name,
        conditions=dict(rule.conditions),
        queue=rule.queue,
        priority=rule.priority,
        assignee=rule.assignee,
        enabled=rule.enabled,
    )
    session.add(row)
    session.flush()
    return row.id


def get_routing_rule(session: Session, workspace_id: str, rule_id: int) -> CaseRoutingRule:
    row = session.get(CaseRoutingRule, rule_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound(f"no routing rule {rule_id}")
    return row


def delete_routing_rule(session: Session, workspace_id: str, rule_id: int) -> None:
    session.delete(get_routing_rule(session, workspace_id, rule_id))


def status_counts(session: Session, workspace_id: str, statuses: Sequence[str]) -> dict[str, int]:
    query = (
        select(Case.status, func.count())
        .where(Case.workspace_id == workspace_id, Case.status.in_(statuses))
        .group_by(Case.status)
    )
    return {str(status): int(n) for status, n in session.execute(query).all()}
