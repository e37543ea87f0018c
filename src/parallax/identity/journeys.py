"""Journeys: one customer's contacts about one issue, across channels, threaded into one case.

Pure logic over ``InteractionView``s already grouped by customer. Contacts with the same issue key within
``window`` of the previous one join the same journey; everything on one ticket stays in one journey. A
ticket closed while the customer keeps complaining about the same issue (anywhere) within the window is
"closed but not resolved", attributed to the queue and agent that closed it.

Example:
    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 3, 1)
    >>> views = [
    ...     InteractionView(1, "ticket", "ticket", t, ticket_id="T1", status="closed",
    ...                     closed_at=t + timedelta(hours=2), segments={"queue": "bags", "agent": "kim"}),
    ...     InteractionView(2, "twitter", "post", t + timedelta(days=1)),
    ... ]
    >>> (journey,) = thread(views)
    >>> journey.repeat_contacts, journey.closed_not_resolved.queue
    (1, 'bags')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parallax.identity.views import InteractionView

DEFAULT_WINDOW = timedelta(days=7)
# Answers to surveys are feedback the company asked for, not contacts about an issue.
NOT_CONTACTS = frozenset({"survey_response", "survey_invite", "mirror_response"})
CLOSED_STATUSES = frozenset({"solved", "closed", "resolved"})
GENERAL = "general"


@dataclass(frozen=True)
class ClosedNotResolved:
    """A ticket closed while the customer was still complaining: who closed it, and what came after."""

    ticket_id: str
    closed_at: datetime
    queue: str | None
    agent: str | None
    later_contacts: tuple[int, ...]


@dataclass
class Journey:
    issue: str
    interaction_ids: list[int] = field(default_factory=list)
    inbound: list[InteractionView] = field(default_factory=list)
    outbound: list[InteractionView] = field(default_factory=list)
    tickets: set[str] = field(default_factory=set)
    closed_not_resolved: ClosedNotResolved | None = None

    @property
    def contacts(self) -> int:
        return len(self.inbound)

    @property
    def repeat_contacts(self) -> int:
        """Contacts beyond the first: each is the customer having to say it again."""
        return max(self.contacts - 1, 0)

    @property
    def channels(self) -> list[str]:
        return sorted({v.channel for v in self.inbound})

    @property
    def opened_at(self) -> datetime:
        return min(v.occurred_at for v in self.inbound or self.outbound)

    @property
    def last_at(self) -> datetime:
        return max(v.occurred_at for v in [*self.inbound, *self.outbound])

    def first_response_at(self) -> datetime | None:
        replies = [v.occurred_at for v in self.outbound if v.occurred_at >= self.opened_at]
        return min(replies) if replies else None


def _issue_of(categories: Mapping[int, str]) -> Callable[[InteractionView], str]:
    return lambda view: categories.get(view.id) or GENERAL


def _same_issue(journey: Journey, issue: str) -> bool:
    return journey.issue == issue or GENERAL in (journey.issue, issue)


def thread(
    views: Sequence[InteractionView],
    categories: Mapping[int, str] | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> list[Journey]:
    """Thread one customer's interactions into journeys, oldest first."""
    issue_of = _issue_of(categories or {})
    journeys: list[Journey] = []
    by_ticket: dict[str, Journey] = {}
    for view in sorted(views, key=lambda v: (v.occurred_at, v.id)):
        if view.kind in NOT_CONTACTS:
            continue
        journey = by_ticket.get(view.ticket_id) if view.ticket_id else None
        if journey is None and view.inbound:
            journey = _open_journey(journeys, issue_of(view), view.occurred_at, window)
        if journey is None and not view.inbound:
            journey = journeys[-1] if journeys else None
        if journey is None:
            journey = Journey(issue=issue_of(view))
            journeys.append(journey)
        _add(journey, view, issue_of(view))
        if view.ticket_id:
            by_ticket[view.ticket_id] = journey
            journey.tickets.add(view.ticket_id)
    for journey in journeys:
        journey.closed_not_resolved = closed_not_resolved(journey, window)
    return [j for j in journeys if j.inbound]


def _open_journey(journeys: list[Journey], issue: str, at: datetime, window: timedelta) -> Journey | None:
    for journey in reversed(journeys):
        if at - journey.last_at <= window and _same_issue(journey, issue):
            return journey
    return None


def _add(journey: Journey, view: InteractionView, issue: str) -> None:
    journey.interaction_ids.append(view.id)
    (journey.inbound if view.inbound else journey.outbound).append(view)
    if journey.issue == GENERAL and issue != GENERAL:
        journey.issue = issue


def closed_not_resolved(journey: Journey, window: timedelta = DEFAULT_WINDOW) -> ClosedNotResolved | None:
    """The first ticket closed before the same customer complained again within ``window``."""
    closed = [
        v
        for v in journey.inbound
        if v.ticket_id and v.closed_at and (v.status or "closed") in CLOSED_STATUSES
    ]
    for ticket in sorted(closed, key=lambda v: v.closed_at or v.occurred_at):
        assert ticket.closed_at is not None
        later = tuple(
            v.id
            for v in journey.inbound
            if v.ticket_id != ticket.ticket_id
            and ticket.closed_at < v.occurred_at <= ticket.closed_at + window
        )
        if later:
            return ClosedNotResolved(
                ticket_id=str(ticket.ticket_id),
                closed_at=ticket.closed_at,
                queue=ticket.segments.get("queue"),
                agent=ticket.segments.get("agent"),
                later_contacts=later,
            )
    return None


@dataclass(frozen=True)
class JourneyStats:
    """Workspace figures the linkage evaluation compares with and without cross-channel identity."""

    customers: int
    journeys: int
    contacts: int
    repeat_contacts: int
    closed_not_resolved: int


def stats(groups: Mapping[object, Sequence[InteractionView]], categories: Mapping[int, str]) -> JourneyStats:
    """Thread every group (a customer, or any other notion of 'same person') and add up the figures."""
    journeys = [j for views in groups.values() for j in thread(views, categories)]
    return JourneyStats(
        customers=len(groups),
        journeys=len(journeys),
        contacts=sum(j.contacts for j in journeys),
        repeat_contacts=sum(j.repeat_contacts for j in journeys),
        closed_not_resolved=sum(1 for j in journeys if j.closed_not_resolved),
    )
