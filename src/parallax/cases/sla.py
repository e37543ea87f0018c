"""SLA targets per priority and the state of a case's clock. Pure: the time is passed in.

Until the first response the clock measures first response; after it, resolution. Time spent ``pending``
(waiting on the customer) does not count: the service pushes ``sla_due_at`` back by the paused time.

    >>> from datetime import datetime
    >>> opened = datetime(2026, 1, 1, 9)
    >>> due = first_due(opened, "high")
    >>> due
    datetime.datetime(2026, 1, 1, 13, 0)
    >>> sla_state(due, responded=False, now=datetime(2026, 1, 1, 14)).breached
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PRIORITIES = ("low", "normal", "high", "urgent")
FIRST_RESPONSE = {
    "urgent": timedelta(hours=1),
    "high": timedelta(hours=4),
    "normal": timedelta(hours=24),
    "low": timedelta(hours=72),
}
RESOLUTION = {
    "urgent": timedelta(hours=8),
    "high": timedelta(hours=24),
    "normal": timedelta(hours=72),
    "low": timedelta(days=7),
}
AT_RISK_SHARE = 0.25  # the last quarter of a target is "at risk"


@dataclass(frozen=True)
class SlaState:
    due_at: datetime | None
    target: str  # first_response | resolution | none
    remaining: timedelta | None
    breached: bool

    @property
    def label(self) -> str:
        if self.due_at is None or self.remaining is None:
            return "no SLA"
        minutes = int(abs(self.remaining).total_seconds() // 60)
        hours = minutes // 60
        span = f"{hours // 24}d{hours % 24:02d}h" if hours >= 48 else f"{hours}h{minutes % 60:02d}m"
        what = "first response" if self.target == "first_response" else "resolution"
        return f"{what} overdue by {span}" if self.breached else f"{what} due in {span}"


def first_due(opened_at: datetime, priority: str) -> datetime:
    return opened_at + FIRST_RESPONSE.get(priority, FIRST_RESPONSE["normal"])


def resolution_due(opened_at: datetime, priority: str, paused: timedelta = timedelta(0)) -> datetime:
    return opened_at + RESOLUTION.get(priority, RESOLUTION["normal"]) + paused


def sla_state(due_at: datetime | None, responded: bool, now: datetime, open_case: bool = True) -> SlaState:
    """Where the clock stands; a closed, resolved or paused case has no running clock."""
    if due_at is None or not open_case:
        return SlaState(None, "none", None, False)
    target = "resolution" if responded else "first_response"
    remaining = due_at - now
    return SlaState(due_at, target, remaining, remaining < timedelta(0))


def at_risk(state: SlaState, priority: str) -> bool:
    """True in the last quarter of the target, before it is breached."""
    if state.remaining is None or state.breached:
        return False
    table = RESOLUTION if state.target == "resolution" else FIRST_RESPONSE
    return state.remaining <= table.get(priority, table["normal"]) * AT_RISK_SHARE
