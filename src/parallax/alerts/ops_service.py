"""Ops alerts (flight-status feed) into the same alert rows, live feed and notifications as complaint alerts.

An ops alert is marked as one everywhere it is read: its rule and ``detail.source`` are ``flight-status``,
its title starts with "Operations:", and its entities are the airport and the disrupted flights. Severity
is ``high`` and does not grow: the CUSUM fires only when an airport's flights are disrupted far beyond its
usual share, and there is no customer side (value, public share) to grade it by, as complaint alerts have.
Services never commit; callers do.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from parallax.alerts import repository
from parallax.alerts.notify import Notification
from parallax.alerts.ops_alerts import SOURCE, OpsAlert
from parallax.alerts.service import Recorded, alert_link
from parallax.store.models import Alert

SEVERITY = "high"


def is_ops(alert: Alert) -> bool:
    return alert.detail.get("source") == SOURCE


def record_ops(session: Session, ops: OpsAlert) -> Recorded:
    """Create the incident's alert, or update it; found by key and start, so a redelivered batch after a
    crash updates the alert it already wrote instead of writing a second one."""
    signal = ops.signal
    alert = repository.find_alert(session, signal.workspace_id, signal.key, ops.started_at)
    if alert is None:
        alert = repository.create_alert(
            session,
            signal.workspace_id,
            rule=SOURCE,
            key=signal.key,
            severity=SEVERITY,
            title=f"Operations: {signal.headline()}",
            started_at=ops.started_at,
            last_seen_at=signal.at,
            count=len(signal.flights),
            detail=_detail(ops),
        )
        return Recorded(alert.id, True, True, alert.severity)
    alert.last_seen_at = max(alert.last_seen_at, signal.at)
    alert.count = max(alert.count, len(signal.flights))
    alert.detail = {**alert.detail, "latest": _detail(ops)}
    return Recorded(alert.id, False, False, alert.severity)  # one notification per disruption


def _detail(ops: OpsAlert) -> dict[str, object]:
    signal = ops.signal
    flights = [f.flight for f in signal.flights]
    return {
        "source": SOURCE,
        "airport": signal.airport,
        "entities": [f"airport:{signal.airport}", *(f"flight:{f}" for f in flights)],
        "flights": list(signal.described()),  # the run's disrupted flights, oldest first (the last dozen)
        "usual_disrupted_share": round(signal.base_rate, 4),
        "run": signal.run,
    }


def ops_notification(alert: Alert, link_base: str | None = None) -> Notification:
    detail = alert.detail.get("latest", alert.detail)
    flights = list(detail.get("flights", []))
    share = float(detail.get("usual_disrupted_share", 0.0))
    summary = (
        f"{alert.count} flights cancelled or an hour or more late at {detail.get('airport')}, "
        f"where usually {share:.1%} are cancelled or 2 h late. "
        "From the flight-status feed, not from complaints."
    )
    return Notification(
        alert_id=alert.id,
        title=alert.title,
        severity=alert.severity,
        summary=summary,
        examples=tuple(flights[-3:]),
        link=alert_link(alert, link_base),
        fields={"Source": SOURCE, "Airport": str(detail.get("airport")), "Key": alert.key},
    )
