"""Replies to the customer through the channel they used, with no duplicate responses.

Two agents on one case: opening the reply box marks the agent as replying (``mark_replying``) and tells them
who else is; sending refuses when another reply was sent after the page was loaded (``seen_event_id``) or
while someone else is still replying, unless the agent confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from parallax.cases import repository as repo
from parallax.cases.lifecycle import OPEN_STATUSES
from parallax.cases.outbound import Outbound, OutboundMessage, Receipt
from parallax.cases.service import change_status, due_at, record
from parallax.kit.errors import Conflict, ValidationFailed
from parallax.store.models import Case, Interaction

REPLYING_TTL = timedelta(minutes=10)
MAX_REPLY = 5_000


@dataclass(frozen=True)
class ReplyOutcome:
    receipt: Receipt
    event_id: int
    channel: str


def others_replying(case: Case, actor: str, now: datetime) -> list[tuple[str, datetime]]:
    """Who else opened the reply box in the last REPLYING_TTL, oldest first."""
    marks = (case.detail or {}).get("replying", {})
    out = []
    for who, since in marks.items():
        at = datetime.fromisoformat(since)
        if who != actor and now - at <= REPLYING_TTL:
            out.append((who, at))
    return sorted(out, key=lambda pair: pair[1])


def mark_replying(
    session: Session, workspace_id: str, case_id: int, actor: str, now: datetime
) -> list[tuple[str, datetime]]:
    """Record that ``actor`` is writing a reply; returns the others already replying (the warning)."""
    case = repo.get_case(session, workspace_id, case_id)
    marks = {
        k: v
        for k, v in (case.detail or {}).get("replying", {}).items()
        if now - datetime.fromisoformat(v) <= REPLYING_TTL
    }
    marks[actor] = now.isoformat()
    case.detail = {**(case.detail or {}), "replying": marks}
    return others_replying(case, actor, now)


def recipient_of(message: Interaction | None, case: Case) -> tuple[str, str]:
    """(channel, recipient): back to where the customer last wrote from."""
    if message is None:
        raise ValidationFailed("this case has no inbound message to answer")
    channel = message.channel or case.channel or ""
    if channel == "email":
        recipient = message.author_email
    else:
        recipient = message.author_handle or message.author_phone or message.ticket_id or message.external_id
    if not recipient:
        raise ValidationFailed(f"the customer's {channel} message carries no address to reply to")
    return channel, recipient


def _guard(
    session: Session, case: Case, actor: str, seen_event_id: int, now: datetime, confirm: bool
) -> None:
    if case.status not in OPEN_STATUSES:
        raise Conflict(f"the case is {case.status}; reopen it before replying")
    last = repo.last_reply(session, case)
    if last is not None and last.id > seen_event_id:
        raise Conflict(f"{last.actor} already replied at {last.created_at:%H:%M}; read it before answering")
    others = others_replying(case, actor, now)
    if others and not confirm:
        names = ", ".join(f"{who} (since {at:%H:%M})" for who, at in others)
        raise Conflict(f"{names} is already replying to this case; confirm to send anyway")


def reply(
    session: Session,
    workspace_id: str,
    case_id: int,
    body: str,
    actor: str,
    now: datetime,
    outbound: Outbound,
    seen_event_id: int,
    confirm: bool = False,
) -> ReplyOutcome:
    """Send ``body`` to the customer on their channel and record it on the case (failed sends too)."""
    body = body.strip()
    if not body or len(body) > MAX_REPLY:
        raise ValidationFailed(f"a reply holds 1 to {MAX_REPLY} characters")
    case = repo.get_case(session, workspace_id, case_id)
    _guard(session, case, actor, seen_event_id, now, confirm)
    inbound = repo.latest_inbound(session, case)
    channel, recipient = recipient_of(inbound, case)
    message = OutboundMessage(
        channel,
        recipient,
        body,
        case.id,
        subject=f"Re: {case.title}"[:200],
        in_reply_to=inbound.external_id if inbound else None,
    )
    receipt = outbound.send(message)
    kind = "reply" if receipt.status == "sent" else "reply_failed"
    event = record(
        session,
        case,
        kind,
        actor,
        now,
        body,
        channel=channel,
        adapter=receipt.adapter,
        reference=receipt.reference,
        error=receipt.error,
    )
    marks = dict((case.detail or {}).get("replying", {}))
    marks.pop(actor, None)
    case.detail = {**(case.detail or {}), "replying": marks}
    if receipt.status == "sent":
        if case.first_response_at is None:
            case.first_response_at = now
            case.sla_due_at = due_at(case)
        if case.status == "new":
            change_status(session, workspace_id, case.id, "open", actor, now)
    return ReplyOutcome(receipt, event.id, channel)
