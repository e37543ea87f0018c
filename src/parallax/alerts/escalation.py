"""Which team an alert goes to: the first rule whose words appear in the alert's topic or key wins.

Example:
    >>> route_alert("topic:delay|route:LHR-JFK")
    'operations'
    >>> route_alert("negative")
    'cx-escalations'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class EscalationRoute:
    words: tuple[str, ...]
    queue: str


DEFAULT_ROUTES: tuple[EscalationRoute, ...] = (
    EscalationRoute(("delay", "cancel", "disruption", "missed_connection", "schedule"), "operations"),
    EscalationRoute(("baggage", "luggage", "bag"), "baggage-services"),
    EscalationRoute(("refund", "billing", "payment", "fee", "compensation"), "customer-relations"),
    EscalationRoute(("app", "website", "booking", "check-in", "checkin", "login"), "digital"),
    EscalationRoute(("staff", "crew", "service", "rude"), "service-quality"),
)
DEFAULT_QUEUE = "cx-escalations"


def route_alert(key: str, routes: Sequence[EscalationRoute] = DEFAULT_ROUTES) -> str:
    """The queue for an alert on ``key`` (the topic part is what is matched)."""
    topic = key.split("|", 1)[0].lower()
    for route in routes:
        if any(word in topic for word in route.words):
            return route.queue
    return DEFAULT_QUEUE
