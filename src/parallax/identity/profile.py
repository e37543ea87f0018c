"""The customer profile (360): identifiers, channels, tier and value, history, cases, sentiment, effort.

Everything personal is shown redacted: identifiers by their stored display, texts through the redaction policy
(``parallax.enrich.pii.redact``, applied to the raw text so an older stored redaction is never what is shown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from parallax.enrich.pii import redact as redact_text
from parallax.identity import repository as repo
from parallax.identity.journeys import thread
from parallax.store.models import Case

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class IdentifierOut:
    id: int
    kind: str
    display: str
    created_at: datetime


@dataclass(frozen=True)
class HistoryItem:
    id: int
    occurred_at: datetime
    channel: str
    kind: str
    direction: str
    text: str | None
    sentiment: float | None
    case_id: int | None


@dataclass(frozen=True)
class CaseSummary:
    id: int
    title: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    channel: str | None
    repeat_contacts: int
    closed_not_resolved: bool


@dataclass(frozen=True)
class Profile:
    id: int
    display_name: str
    loyalty_tier: str | None
    value: float | None
    created_at: datetime
    merged_from: tuple[int, ...]
    identifiers: tuple[IdentifierOut, ...]
    channels: dict[str, int]
    interactions: int
    history: tuple[HistoryItem, ...]
    open_cases: tuple[CaseSummary, ...]
    past_cases: tuple[CaseSummary, ...]
    sentiment: tuple[tuple[datetime, float], ...]
    sentiment_trend: float | None
    repeat_effort: int


def identifiers(session: Session, workspace_id: str, customer_id: int) -> list[IdentifierOut]:
    rows = repo.identifiers_of_customer(session, workspace_id, customer_id)
    return [IdentifierOut(r.id, r.kind, r.display, r.created_at) for r in rows]


def _case_summary(case: Case) -> CaseSummary:
    journey = (case.detail or {}).get("journey") or {}
    return CaseSummary(
        id=case.id,
        title=case.title,
        status=case.status,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        channel=case.channel,
        repeat_contacts=int(journey.get("repeat_contacts") or 0),
        closed_not_resolved=bool(journey.get("closed_not_resolved")),
    )


def trend(points: list[tuple[datetime, float]]) -> float | None:
    """Mean sentiment of the later half minus the earlier half: > 0 improving, < 0 souring."""
    if len(points) < 2:
        return None
    half = len(points) // 2
    early = [score for _, score in points[:half]]
    late = [score for _, score in points[half:]]
    return round(sum(late) / len(late) - sum(early) / len(early), 4)


def build_profile(session: Session, workspace_id: str, customer_id: int) -> Profile:
    """The 360 view of a customer; a merged-away id answers with the customer it was merged into."""
    customer = repo.get_customer(session, workspace_id, repo.canonical_id(session, workspace_id, customer_id))
    views = repo.interaction_views(session, workspace_id, customer_ids=[customer.id])
    enrichment = repo.enrichment_of(session, workspace_id, [v.id for v in views])
    threaded = repo.case_of_interactions(session, workspace_id)
    categories = {i: e.category for i, e in enrichment.items() if e.category}
    history = [
        HistoryItem(
            id=v.id,
            occurred_at=v.occurred_at,
            channel=v.channel,
            kind=v.kind,
            direction=v.direction,
            text=redact_text(v.text) if v.text else None,
            sentiment=enrichment[v.id].sentiment_score if v.id in enrichment else None,
            case_id=threaded.get(v.id),
        )
        for v in reversed(views[-HISTORY_LIMIT:])
    ]
    sentiment = [
        (v.occurred_at, s) for v in views if v.inbound and (s := _score(enrichment, v.id)) is not None
    ]
    cases = [_case_summary(c) for c in repo.cases_of_customer(session, workspace_id, customer.id)]
    merged_from = [
        int(e.detail["source"])
        for e in repo.events(session, workspace_id, "merge")
        if e.undone_at is None and e.detail.get("target") == customer.id
    ]
    return Profile(
        id=customer.id,
        display_name=customer.display_name,
        loyalty_tier=customer.loyalty_tier,
        value=customer.value,
        created_at=customer.created_at,
        merged_from=tuple(merged_from),
        identifiers=tuple(identifiers(session, workspace_id, customer.id)),
        channels=dict(Counter(v.channel for v in views if v.inbound)),
        interactions=len(views),
        history=tuple(history),
        open_cases=tuple(c for c in cases if c.status not in ("resolved", "closed")),
        past_cases=tuple(c for c in cases if c.status in ("resolved", "closed")),
        sentiment=tuple(sentiment),
        sentiment_trend=trend(sentiment),
        repeat_effort=sum(j.repeat_contacts for j in thread(views, categories)),
    )


def _score(enrichment: Mapping[int, object], interaction_id: int) -> float | None:
    row = enrichment.get(interaction_id)
    value = getattr(row, "sentiment_score", None)
    return float(value) if value is not None else None
