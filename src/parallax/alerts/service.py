"""From engine outcomes to alert rows, notifications and cases. Services never commit; callers do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from parallax.alerts import repository
from parallax.alerts.engine import Outcome
from parallax.alerts.escalation import route_alert
from parallax.alerts.incidents import SEVERITIES, severity, volume_ratio
from parallax.alerts.notify import Notification
from parallax.store.models import Alert, Case

PRIORITY_OF = {"low": "low", "medium": "normal", "high": "high", "critical": "urgent"}


@dataclass(frozen=True)
class Recorded:
    alert_id: int
    is_new: bool
    notify: bool  # new, or grown in scope or severity
    severity: str


def _topic(outcome: Outcome) -> str | None:
    """The signal's own topic, or the most common one among the spike's events."""
    top = outcome.context.top_categories
    return outcome.signal.key.topic or (top[0][0] if top else None)


def title_for(outcome: Outcome) -> str:
    context = outcome.context
    topic = _topic(outcome)
    where = ", ".join(label.split(":", 1)[1] for label, _ in context.top_entities[:2])
    about = f"{topic} complaints" if topic else "negative mentions"
    title = f"Spike in {about}" + (f" ({where})" if where else "")
    return title + _after(context.flight_status)


def _after(flights: tuple[str, ...]) -> str:
    """What the flight-status feed says the spike follows: the cause, where one flight explains it."""
    if not flights:
        return ""
    more = f" and {len(flights) - 1} more disrupted flight(s)" if len(flights) > 1 else ""
    return f" after {flights[0]}{more}"


def record(session: Session, outcome: Outcome) -> Recorded:
    """Create the incident's alert, or update it (count, last seen, severity) when it already exists."""
    incident, signal = outcome.decision.incident, outcome.signal
    ratio = volume_ratio(signal)
    level = severity(ratio, outcome.context.customer_value, outcome.context.public_share)
    if incident.alert_id is None and incident.lead is not None:
        existing = repository.find_alert(
            session, incident.workspace_id, incident.lead.key.name, incident.started_at
        )
        incident.alert_id = existing.id if existing is not None else None
    alert_id = incident.alert_id
    if alert_id is None:
        alert = repository.create_alert(
            session,
            incident.workspace_id,
            rule=signal.rule,
            key=signal.key.name,
            severity=level,
            title=title_for(outcome),
            started_at=incident.started_at,
            last_seen_at=signal.at,
            count=signal.count,
            detail=_detail(outcome, ratio),
        )
        incident.alert_id = alert.id
        return Recorded(alert.id, True, True, level)
    alert = repository.get_alert(session, incident.workspace_id, alert_id)
    alert.last_seen_at = max(alert.last_seen_at, signal.at)
    alert.count = max(alert.count, signal.count)
    grew = SEVERITIES.index(level) > SEVERITIES.index(alert.severity)
    if grew:
        alert.severity = level
    if outcome.context.events:
        latest = _detail(outcome, ratio)
        alert.detail = {**alert.detail, "keys": sorted(incident.keys), "latest": latest}
        if incident.lead is signal:
            # a more specific signal of the same incident renames it: title and detail describe it alike
            alert.title = title_for(outcome)
            alert.detail = {**alert.detail, **latest, "lead_key": signal.key.name}
    return Recorded(alert.id, False, grew or outcome.decision.escalated, alert.severity)


def _detail(outcome: Outcome, ratio: float) -> dict[str, object]:
    return {
        "topic": _topic(outcome),
        "count": outcome.signal.count,
        "expected_per_bucket": round(outcome.signal.expected, 2),
        "ratio": round(ratio, 2),
        "evidence": round(outcome.signal.evidence, 2),
        "score": round(outcome.signal.score, 6),
        "keys": sorted(outcome.decision.incident.keys),
        **outcome.context.as_dict(),
    }


def alert_link(alert: Alert, link_base: str | None) -> str | None:
    """The alert's page in the dashboard, when the worker knows where the dashboard is."""
    return f"{link_base.rstrip('/')}/alerts/{alert.id}" if link_base else None


def notification_for(alert: Alert, link_base: str | None = None) -> Notification:
    detail = alert.detail.get("latest", alert.detail)
    entities = ", ".join(str(e[0]) for e in detail.get("top_entities", [])[:3]) or "-"
    categories = ", ".join(str(c[0]) for c in detail.get("top_categories", [])[:3]) or "-"
    summary = (
        f"{alert.count} in 5 minutes against about {detail.get('expected_per_bucket', 0)} usually "
        f"(x{detail.get('ratio', 1)}); {round(100 * float(detail.get('public_share', 0)))}% public."
    )
    fields = {"Categories": categories, "Where": entities, "Key": alert.key}
    if detail.get("flight_status"):
        fields["Flight status"] = ", ".join(str(f) for f in detail["flight_status"])
    return Notification(
        alert_id=alert.id,
        title=alert.title,
        severity=alert.severity,
        summary=summary,
        examples=tuple(detail.get("examples", []))[:3],
        link=alert_link(alert, link_base),
        fields=fields,
    )


def escalate(
    session: Session, workspace_id: str, alert_id: int, actor: str, queue: str | None = None
) -> Case:
    """Open a case for the alert (status ``new``, routed by rules), or attach to the one already open."""
    alert = repository.get_alert(session, workspace_id, alert_id)
    case = repository.case_for_alert(session, alert)
    if case is None:
        topic = alert.detail.get("topic")
        target = queue or route_alert(f"topic:{topic}" if topic else alert.key)
        case = repository.open_case(session, alert, target, PRIORITY_OF[alert.severity])
        repository.add_case_event(session, case, alert, f"Opened from alert: {alert.title}", actor)
    else:
        repository.add_case_event(session, case, alert, f"Alert updated: {alert.count} at peak", actor)
    alert.detail = {**alert.detail, "case_id": case.id}
    return case


def acknowledge(session: Session, workspace_id: str, alert_id: int, by: str, at: datetime) -> Alert:
    return repository.acknowledge(session, workspace_id, alert_id, by, at)


def resolve(session: Session, workspace_id: str, alert_id: int, by: str, at: datetime) -> Alert:
    return repository.resolve(session, workspace_id, alert_id, by, at)
