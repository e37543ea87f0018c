"""Journeys: one customer's contacts about one issue, across channels, threaded into one case.

Pure logic over ``InteractionView``s already grouped by customer. Contacts with the same issue key within
``window`` of the previous one join the same journey; everything on one ticket, or naming it ("Ticket
T000203"), stays in one journey. A closed ticket the customer shows was not fixed (a low rating, a message
on or naming the ticket, or a complaint about the same issue within the window: ``unresolved.py``) is
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

from parallax.identity.unresolved import (
    CLOSED_STATUSES,
    DEFAULT_WINDOW,
    ClosedNotResolved,
    Reading,
    closed_not_resolved,
    is_closed_ticket,
    ticket_refs,
)
from parallax.identity.views import InteractionView

__all__ = ["CLOSED_STATUSES", "DEFAULT_WINDOW", "ClosedNotResolved", "Journey", "Reading", "stats", "thread"]

# Answers to surveys are feedback the company asked for, not contacts about an issue.
NOT_CONTACTS = frozenset({"survey_response", "survey_invite", "mirror_response"})
GENERAL = "general"


@dataclass
class Journey:
    issue: str
    interaction_ids: list[int] = field(default_factory=list)
    inbound: list[InteractionView] = field(default_factory=list)
    outbound: list[InteractionView] = field(default_factory=list)
    tickets: set[str] = field(default_factory=set)
    # Every closed ticket of the journey the customer shows was not fixed, first closed first.
    unresolved: list[ClosedNotResolved] = field(default_factory=list)

    @property
    def closed_not_resolved(self) -> ClosedNotResolved | None:
        return self.unresolved[0] if self.unresolved else None

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


def _categories(categories: Mapping[int, str] | None, readings: Mapping[int, Reading]) -> dict[int, str]:
    found = {i: r.category for i, r in readings.items() if r.category}
    return found | dict(categories or {})


def _same_issue(journey: Journey, issue: str) -> bool:
    return journey.issue == issue or GENERAL in (journey.issue, issue)


def thread(
    views: Sequence[InteractionView],
    categories: Mapping[int, str] | None = None,
    window: timedelta = DEFAULT_WINDOW,
    readings: Mapping[int, Reading] | None = None,
    naming: Mapping[str, Sequence[InteractionView]] | None = None,
) -> list[Journey]:
    """Thread one customer's interactions into journeys, oldest first.

    ``readings``: what enrichment read in each text (its category is the issue unless ``categories`` says
    otherwise); ``naming``: per ticket id in capitals, interactions anywhere in the workspace on or naming it.
    """
    readings = readings or {}
    issue_of = _issue_of(_categories(categories, readings))
    journeys: list[Journey] = []
    by_ticket: dict[str, Journey] = {}
    for view in sorted(views, key=lambda v: (v.occurred_at, v.id)):
        if view.kind in NOT_CONTACTS:
            continue
        journey = _ticket_journey(by_ticket, view)
        if journey is None and view.inbound:
            journey = _open_journey(journeys, issue_of(view), view.occurred_at, window)
        if journey is None and not view.inbound:
            journey = journeys[-1] if journeys else None
        if journey is None:
            journey = Journey(issue=issue_of(view))
            journeys.append(journey)
        _add(journey, view, issue_of(view))
        if view.ticket_id:
            by_ticket[view.ticket_id.upper()] = journey
            journey.tickets.add(view.ticket_id)
    contacts = [v for j in journeys for v in j.inbound]
    for journey in journeys:
        elsewhere = [v for v in contacts if v not in journey.inbound]
        journey.unresolved = _unresolved(journey, elsewhere, readings, naming or {}, window)
    return [j for j in journeys if j.inbound]


def _ticket_journey(by_ticket: Mapping[str, Journey], view: InteractionView) -> Journey | None:
    """The journey of the ticket this interaction is on, else of the first known ticket it names."""
    if view.ticket_id:
        return by_ticket.get(view.ticket_id.upper())
    named = sorted(ticket_refs(view) & by_ticket.keys())
    return by_ticket[named[0]] if named else None


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


def _unresolved(
    journey: Journey,
    elsewhere: Sequence[InteractionView],
    readings: Mapping[int, Reading],
    naming: Mapping[str, Sequence[InteractionView]],
    window: timedelta,
) -> list[ClosedNotResolved]:
    """Every closed ticket of the journey with evidence that it was not fixed, first closed first."""
    tickets = sorted((v for v in journey.inbound if is_closed_ticket(v)), key=lambda v: (v.closed_at, v.id))
    found = (
        closed_not_resolved(
            ticket,
            journey.inbound,
            naming.get(str(ticket.ticket_id).upper(), ()),
            readings,
            window,
            elsewhere,
        )
        for ticket in tickets
    )
    return [cnr for cnr in found if cnr is not None]


@dataclass(frozen=True)
class JourneyStats:
    """Workspace figures the linkage evaluation compares with and without cross-channel identity."""

    customers: int
    journeys: int
    contacts: int
    repeat_contacts: int
    closed_not_resolved: int  # tickets


def stats(
    groups: Mapping[object, Sequence[InteractionView]],
    categories: Mapping[int, str],
    readings: Mapping[int, Reading] | None = None,
) -> JourneyStats:
    """Thread every group (a customer, or any other notion of 'same person') and add up the figures."""
    journeys = [j for views in groups.values() for j in thread(views, categories, readings=readings)]
    return JourneyStats(
        customers=len(groups),
        journeys=len(journeys),
        contacts=sum(j.contacts for j in journeys),
        repeat_contacts=sum(j.repeat_contacts for j in journeys),
        closed_not_resolved=sum(len(j.unresolved) for j in journeys),
    )
