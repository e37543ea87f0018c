"""All alert queries: alerts, their acknowledgement and resolution, and the cases they open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.kit.errors import Conflict, NotFound
from parallax.store.models import Alert, Case, CaseEvent


def create_alert(session: Session, workspace_id: str, **fields: Any) -> Alert:
    alert = Alert(workspace_id=workspace_id, **fields)
    session.add(alert)
    session.flush()
    return alert


def find_alert(session: Session, workspace_id: str, key: str, started_at: datetime) -> Alert | None:
    """The alert already written for an incident (a replay after a crash must not write it twice)."""
    query = select(Alert).where(
        Alert.workspace_id == workspace_id, Alert.key == key, Alert.started_at == started_at
    )
    return session.scalars(query.limit(1)).first()


def get_alert(session: Session, workspace_id: str, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.workspace_id != workspace_id:
        raise NotFound(f"alert {alert_id} not found")
    return alert


def list_alerts(
    session: Session, workspace_id: str, status: str | None = None, after_id: int = 0, limit: int = 100
) -> list[Alert]:
    query = select(Alert).where(Alert.workspace_id == workspace_id, Alert.id > after_id)
    if status:
        query = query.where(Alert.status == status)
    order = Alert.id.asc() if after_id else Alert.id.desc()
    return list(session.scalars(query.order_by(order).limit(limit)))


def changed_since(session: Session, workspace_id: str, after_id: int, since: datetime) -> list[Alert]:
    """New alerts (id above ``after_id``) and alerts updated since ``since``: what a live feed sends."""
    query = select(Alert).where(
        Alert.workspace_id == workspace_id, (Alert.id > after_id) | (Alert.last_seen_at > since)
    )
    return list(session.scalars(query.order_by(Alert.id)))


def acknowledge(session: Session, workspace_id: str, alert_id: int, by: str, at: datetime) -> Alert:
    alert = get_alert(session, workspace_id, alert_id)
    if alert.status == "resolved":
        raise Conflict(f"alert {alert_id} is already resolved")
    alert.status, alert.acknowledged_at, alert.acknowledged_by = "acknowledged", at, by
    return alert


def resolve(session: Session, workspace_id: str, alert_id: int, by: str, at: datetime) -> Alert:
    alert = get_alert(session, workspace_id, alert_id)
    if alert.status == "resolved":
        raise Conflict(f"alert {alert_id} is already resolved")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = at, by
    alert.status, alert.resolved_at = "resolved", at
    alert.detail = {**alert.detail, "resolved_by": by}
    return alert


def case_for_alert(session: Session, alert: Alert) -> Case | None:
    """An open case already escalated for this alert's incident (same alert, or same family key)."""
    query = select(Case).where(
        Case.workspace_id == alert.workspace_id, Case.closed_at.is_(None), Case.alert_id == alert.id
    )
    return session.scalars(query.limit(1)).first()


def open_case(session: Session, alert: Alert, queue: str, priority: str) -> Case:
    case = Case(
        workspace_id=alert.workspace_id,
        title=alert.title[:300],
        status="new",
        priority=priority,
        category=(alert.detail.get("topic") or None),
        queue=queue,
        alert_id=alert.id,
        opened_at=alert.started_at,
        detail={"source": "alert", "alert_key": alert.key},
    )
    session.add(case)
    session.flush()
    return case


def add_case_event(session: Session, case: Case, alert: Alert, body: str, actor: str) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        workspace_id=case.workspace_id,
        kind="alert",
        actor=actor,
        body=body,
        detail={"alert_id": alert.id, "severity": alert.severity, "count": alert.count},
    )
    session.add(event)
    session.flush()
    return event
