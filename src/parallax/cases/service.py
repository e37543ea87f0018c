"""Working a case: status through the transition table, assignment, priority with its SLA, internal notes.
Replies and routing are in ``replies.py`` and ``triage.py``. Services never commit; the time is passed in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from parallax.cases import repository as repo
from parallax.cases.lifecycle import OPEN_STATUSES, transition
from parallax.cases.sla import PRIORITIES, first_due, resolution_due
from parallax.kit.errors import ValidationFailed
from parallax.store.models import Case, CaseEvent

MAX_NOTE = 10_000


def record(
    session: Session, case: Case, kind: str, actor: str, now: datetime, body: str = "", **detail: Any
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        workspace_id=case.workspace_id,
        kind=kind,
        actor=actor,
        body=body,
        detail=detail,
        created_at=now,
    )
    session.add(event)
    session.flush()
    return event


def paused_for(case: Case) -> timedelta:
    return timedelta(seconds=float((case.detail or {}).get("sla_paused_s", 0)))


def due_at(case: Case) -> datetime:
    """The running SLA target: first response until there is one, then resolution; pauses pushed back."""
    if case.first_response_at is None:
        return first_due(case.opened_at, case.priority) + paused_for(case)
    return resolution_due(case.opened_at, case.priority, paused_for(case))


def change_status(
    session: Session,
    workspace_id: str,
    case_id: int,
    status: str,
    actor: str,
    now: datetime,
    reason: str = "",
) -> Case:
    """Move a case along the transition table and apply the move's effect (SLA pause, stamps, reopen)."""
    case = repo.get_case(session, workspace_id, case_id)
    previous = case.status
    effect = transition(previous, status)
    if effect.needs_reason and not reason.strip():
        raise ValidationFailed(
            f"say why a {previous} case is closed without being worked (spam, duplicate...)"
        )
    detail = dict(case.detail or {})
    if effect.pause_sla:
        detail["sla_paused_at"] = now.isoformat()
    if effect.resume_sla and "sla_paused_at" in detail:
        paused = now - datetime.fromisoformat(detail.pop("sla_paused_at"))
        detail["sla_paused_s"] = float(detail.get("sla_paused_s", 0)) + paused.total_seconds()
    if effect.stamp_resolved:
        detail["resolved_at"] = now.isoformat()
    if effect.stamp_closed:
        case.closed_at = now
    if effect.reopen:
        case.closed_at = None
        detail.pop("resolved_at", None)
        detail["reopened"] = int(detail.get("reopened", 0)) + 1
    case.detail = detail
    case.status = status
    case.sla_due_at = due_at(case) if status in OPEN_STATUSES else case.sla_due_at
    record(session, case, "status", actor, now, reason.strip(), previous=previous, current=status)
    return case


def assign(
    session: Session, workspace_id: str, case_id: int, assignee: str | None, actor: str, now: datetime
) -> Case:
    case = repo.get_case(session, workspace_id, case_id)
    previous, case.assignee = case.assignee, (assignee or "").strip() or None
    record(session, case, "assign", actor, now, previous=previous, current=case.assignee)
    return case


def set_priority(
    session: Session, workspace_id: str, case_id: int, priority: str, actor: str, now: datetime
) -> Case:
    """A new priority moves the SLA target with it."""
    if priority not in PRIORITIES:
        raise ValidationFailed(f"priority must be one of {', '.join(PRIORITIES)}")
    case = repo.get_case(session, workspace_id, case_id)
    previous, case.priority = case.priority, priority
    if case.status in OPEN_STATUSES:
        case.sla_due_at = due_at(case)
    record(session, case, "priority", actor, now, previous=previous, current=priority)
    return case


def add_note(
    session: Session, workspace_id: str, case_id: int, body: str, actor: str, now: datetime
) -> CaseEvent:
    """An internal note: seen by the team, never sent to the customer."""
    body = body.strip()
    if not body:
        raise ValidationFailed("a note cannot be empty")
    if len(body) > MAX_NOTE:
        raise ValidationFailed(f"a note holds at most {MAX_NOTE} characters")
    case = repo.get_case(session, workspace_id, case_id)
    return record(session, case, "note", actor, now, body)
