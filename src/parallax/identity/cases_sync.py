"""Write journeys as cases: one Case per journey, one CaseEvent per interaction threaded into it.

Safe to run again: interactions already in a case stay there, new ones join the case of their journey.
Only threading lives here; the inbox (``parallax.cases``) owns status transitions after creation, so an
existing case's status is never changed, only its threading figures in ``detail["journey"]``. Enrichment's
reading of each text (category, sentiment, signals) and every message naming a ticket go into the
closed-but-not-resolved judgement (``unresolved.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from parallax.identity import repository as repo
from parallax.identity.journeys import CLOSED_STATUSES, DEFAULT_WINDOW, Journey, thread
from parallax.identity.unresolved import ClosedNotResolved, naming_index
from parallax.identity.views import InteractionView, Reading
from parallax.store.models import Case, CaseEvent

ACTOR = "system:identity"


@dataclass(frozen=True)
class SyncReport:
    customers: int
    journeys: int
    cases_created: int
    cases_updated: int
    interactions_threaded: int
    closed_not_resolved: int  # tickets


def initial_status(journey: Journey) -> str:
    """new: nobody has it yet; open: a ticket is being worked; closed: all tickets closed, nothing after."""
    tickets = [v for v in journey.inbound if v.ticket_id]
    if any((v.status or "open") not in CLOSED_STATUSES for v in tickets):
        return "open"
    if tickets and journey.closed_not_resolved is None and all(v.closed_at for v in tickets):
        return "closed"
    return "new"


def _unresolved_detail(cnr: ClosedNotResolved) -> dict[str, Any]:
    return {
        **asdict(cnr),
        "closed_at": cnr.closed_at.isoformat(),
        "later_contacts": list(cnr.later_contacts),
        "evidence": list(cnr.evidence),
    }


def journey_detail(journey: Journey) -> dict[str, Any]:
    """The journey's figures; ``closed_not_resolved`` is its first flagged ticket, ``unresolved`` all."""
    cnr = journey.closed_not_resolved
    return {
        "issue": journey.issue,
        "contacts": journey.contacts,
        "repeat_contacts": journey.repeat_contacts,
        "channels": journey.channels,
        "tickets": sorted(journey.tickets),
        "closed_not_resolved": None if cnr is None else _unresolved_detail(cnr),
        "unresolved": [_unresolved_detail(c) for c in journey.unresolved],
    }


def _attribution(journey: Journey) -> tuple[str | None, str | None]:
    for view in journey.inbound:
        if view.ticket_id:
            return view.segments.get("queue"), view.segments.get("agent")
    return None, None


def _new_case(session: Session, workspace_id: str, customer_id: int, journey: Journey) -> Case:
    queue, agent = _attribution(journey)
    status = initial_status(journey)
    closed = [v.closed_at for v in journey.inbound if v.closed_at]
    case = Case(
        workspace_id=workspace_id,
        customer_id=customer_id,
        title=f"{journey.issue.replace('_', ' ')} ({', '.join(journey.channels)})"[:300],
        status=status,
        category=None if journey.issue == "general" else journey.issue,
        channel=journey.inbound[0].channel,
        queue=queue,
        assignee=agent,
        opened_at=journey.opened_at,
        first_response_at=journey.first_response_at(),
        closed_at=max(closed) if status == "closed" and closed else None,
        detail={},
    )
    session.add(case)
    session.flush()
    return case


def sync_customer(
    session: Session,
    workspace_id: str,
    customer_id: int,
    views: list[InteractionView],
    threaded: dict[int, int],
    window: timedelta,
    readings: Mapping[int, Reading] | None = None,
    naming: Mapping[str, Sequence[InteractionView]] | None = None,
) -> tuple[list[Journey], int, int, int]:
    """Thread one customer's interactions and write them; returns journeys, created, updated, events.

    ``readings`` (default: read from the store) and ``naming`` (messages anywhere naming a ticket) feed the
    closed-but-not-resolved judgement."""
    if readings is None:
        readings = repo.readings_of(session, workspace_id, [v.id for v in views])
    journeys = thread(views, window=window, readings=readings, naming=naming)
    created = updated = added = 0
    for journey in journeys:
        known = sorted({threaded[i] for i in journey.interaction_ids if i in threaded})
        case = session.get(Case, known[0]) if known else None
        if case is None:
            case, created = _new_case(session, workspace_id, customer_id, journey), created + 1
        else:
            updated += 1
        case.detail = {**(case.detail or {}), "journey": journey_detail(journey)}
        for view in [*journey.inbound, *journey.outbound]:
            if view.id not in threaded:
                session.add(_event(workspace_id, case.id, view))
                threaded[view.id] = case.id
                added += 1
    return journeys, created, updated, added


def _event(workspace_id: str, case_id: int, view: InteractionView) -> CaseEvent:
    return CaseEvent(
        case_id=case_id,
        workspace_id=workspace_id,
        kind="interaction",
        interaction_id=view.id,
        actor=ACTOR,
        body=f"{view.direction} {view.kind} via {view.channel}",
        detail={"channel": view.channel, "kind": view.kind},
        created_at=view.occurred_at,
    )


def sync_cases(
    session: Session,
    workspace_id: str,
    customer_ids: list[int] | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> SyncReport:
    """Thread the interactions of the given customers (default: everyone) into cases.

    A message naming a ticket counts as evidence on it whoever it is linked to, among the interactions read:
    the whole workspace by default, those of ``customer_ids`` otherwise."""
    views = repo.interaction_views(session, workspace_id, customer_ids=customer_ids)
    readings = repo.readings_of(session, workspace_id, [v.id for v in views])
    naming = naming_index(views)
    by_customer: dict[int, list[InteractionView]] = defaultdict(list)
    for view in views:
        if view.customer_id is not None:
            by_customer[view.customer_id].append(view)
    threaded = repo.case_of_interactions(session, workspace_id)
    totals = [0, 0, 0, 0, 0]
    for customer_id, own in sorted(by_customer.items()):
        journeys, created, updated, added = sync_customer(
            session, workspace_id, customer_id, own, threaded, window, readings, naming
        )
        for index, value in enumerate(
            (len(journeys), created, updated, added, sum(len(j.unresolved) for j in journeys))
        ):
            totals[index] += value
    session.flush()
    return SyncReport(len(by_customer), *totals)
