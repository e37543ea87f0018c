"""Which disrupted flights explain a complaint spike: the flight-status feed read beside the complaints.

A spike of cancellation complaints right after one flight was cancelled is that flight's passengers, not
a new problem to investigate: the alert should say so ("PX229 LHR-MAD cancelled"), and the duty manager
can tell it at a glance from a storm, where many flights and airports are named at once. The match is
deliberately narrow: the flight's code or its route must be among the spike's entities (what the
complainants themselves name), and the flight must be due to leave within ``before`` the spike (its
passengers complain for hours after a cancellation) or ``after`` it (cancellations are announced ahead of
departure). An airport alone does not match: a hub always has some disrupted flight.

The same rule judges the simulator's replay (``stream/sim_replay.py``) against the simulated truth, so what
the product says and what the benchmark counts are one definition.

Example:
    >>> from datetime import datetime, timedelta
    >>> at = datetime(2026, 3, 5, 21, 0)
    >>> memory = RecentDisruptions()
    >>> memory.add(FlightStatus("acme", "PX229", "LHR", "MAD", at - timedelta(minutes=40), cancelled=True))
    >>> memory.add(FlightStatus("acme", "PX100", "LHR", "JFK", at - timedelta(minutes=30), delay_min=20))
    >>> [s.describe() for s in memory.explaining("acme", ("airport:LHR", "route:LHR-MAD"), at)]
    ['PX229 LHR-MAD cancelled']
    >>> memory.explaining("acme", ("airport:LHR", "flight_number:PX100"), at)  # 20 minutes late is not
    ()
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from parallax.alerts.engine import Outcome
from parallax.alerts.flight_status import DISRUPTED_DELAY, FlightStatus

BEFORE = timedelta(hours=6)
AFTER = timedelta(hours=1)


def codes_of(status: FlightStatus) -> tuple[str, str]:
    """The labels of the flight's code: found in a message's text, or given as the message's segment."""
    return f"flight_number:{status.flight}", f"flight:{status.flight}"


def labels_of(status: FlightStatus) -> tuple[str, ...]:
    """The entity labels a complaint about this flight carries: its code and its route."""
    return (*codes_of(status), f"route:{status.origin}-{status.destination}")


def explained_by(
    statuses: Iterable[FlightStatus],
    labels: Iterable[str],
    at: datetime,
    before: timedelta = BEFORE,
    after: timedelta = AFTER,
) -> tuple[FlightStatus, ...]:
    """The disrupted ``statuses`` named by ``labels`` (flight code or route) and due near ``at``, a flight
    named by its code first."""
    wanted = set(labels)
    hits = [
        s
        for s in statuses
        if s.disrupted(DISRUPTED_DELAY)
        and at - before <= s.scheduled <= at + after
        and wanted & set(labels_of(s))
    ]
    return tuple(sorted(hits, key=lambda s: (not wanted.intersection(codes_of(s)), s.scheduled)))


@dataclass
class RecentDisruptions:
    """The disrupted flights the feed reported in the last ``before``, per workspace; small and picklable
    (a busy airline disrupts a few dozen flights in six hours, the cap bounds a feed gone wrong)."""

    before: timedelta = BEFORE
    capacity: int = 2_000
    _flights: dict[str, deque[FlightStatus]] = field(default_factory=dict)

    def add(self, status: FlightStatus) -> None:
        if not status.disrupted(DISRUPTED_DELAY):
            return
        kept = self._flights.setdefault(status.workspace_id, deque(maxlen=self.capacity))
        kept.append(status)
        while kept and kept[0].scheduled < status.scheduled - self.before:
            kept.popleft()

    def explaining(self, workspace_id: str, labels: Iterable[str], at: datetime) -> tuple[FlightStatus, ...]:
        """The kept flights of ``workspace_id`` that explain a spike naming ``labels`` at ``at``."""
        return explained_by(self._flights.get(workspace_id, ()), labels, at, self.before)


def described(statuses: Iterable[FlightStatus], most: int = 3) -> tuple[str, ...]:
    return tuple(s.describe() for s in list(statuses)[:most])


def with_flight_status(outcome: Outcome, memory: RecentDisruptions) -> Outcome:
    """``outcome`` with the disrupted flights its spike names, when the feed reported any."""
    context = outcome.context
    if not context.events:  # a bare join to an incident: nothing is described, nothing to explain
        return outcome
    labels = [label for label, _ in context.top_entities]
    workspace_id = outcome.decision.incident.workspace_id
    found = memory.explaining(workspace_id, labels, outcome.trigger.occurred_at)
    if not found:
        return outcome
    return replace(outcome, context=replace(context, flight_status=described(found)))
