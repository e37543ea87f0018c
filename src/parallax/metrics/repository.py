"""Row-level reads the estimators need beyond the declared cell statistics (all queries live here)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from parallax.metrics.declarations import SURVEY_KINDS, VOICE_KINDS
from parallax.store.models import Enrichment, Interaction, Workspace


@dataclass(frozen=True)
class SurveyRow:
    person: str | None
    invited_at: datetime
    occurred_at: datetime
    score_type: str | None
    score: float | None
    segments: dict[str, Any]
    external_id: str


def survey_rows(session: Session, workspace_id: str) -> list[SurveyRow]:
    """Every survey invite and answer of the workspace (the invites make the correction possible)."""
    query = select(
        Interaction.customer_id,
        Interaction.author_email,
        Interaction.invited_at,
        Interaction.occurred_at,
        Interaction.score_type,
        Interaction.score_value,
        Interaction.segments,
        Interaction.external_id,
    ).where(Interaction.workspace_id == workspace_id, Interaction.kind.in_(SURVEY_KINDS))
    return [
        SurveyRow(
            person=_person(r.customer_id, r.author_email),
            invited_at=r.invited_at or r.occurred_at,
            occurred_at=r.occurred_at,
            score_type=r.score_type,
            score=r.score_value,
            segments=dict(r.segments or {}),
            external_id=r.external_id,
        )
        for r in session.execute(query)
    ]


def _person(customer_id: int | None, email: str | None) -> str | None:
    if customer_id is not None:
        return f"c:{customer_id}"
    return email.strip().lower() if email else None


@dataclass(frozen=True)
class Contact:
    at: datetime
    kind: str
    negative: bool


def contacts_by_person(session: Session, workspace_id: str) -> dict[str, list[Contact]]:
    """Tickets and volunteered interactions per person (customer id, else shared email), oldest first."""
    query = (
        select(
            Interaction.customer_id,
            Interaction.author_email,
            Interaction.occurred_at,
            Interaction.kind,
            Enrichment.sentiment_label,
        )
        .outerjoin(Enrichment, and_(Enrichment.interaction_id == Interaction.id, Enrichment.current))
        .where(
            Interaction.workspace_id == workspace_id,
            Interaction.kind.in_((*VOICE_KINDS, "ticket")),
            Interaction.direction == "inbound",
        )
        .order_by(Interaction.occurred_at)
    )
    out: dict[str, list[Contact]] = defaultdict(list)
    for r in session.execute(query):
        person = _person(r.customer_id, r.author_email)
        if person is not None:
            out[person].append(Contact(r.occurred_at, r.kind, r.sentiment_label == "negative"))
    return out


def texts(session: Session, workspace_id: str, kinds: Sequence[str]) -> list[tuple[datetime, str]]:
    """(occurred_at, text) of the given kinds, for theme mining."""
    query = select(Interaction.occurred_at, Interaction.text).where(
        Interaction.workspace_id == workspace_id, Interaction.kind.in_(kinds), Interaction.text.is_not(None)
    )
    return [(r.occurred_at, r.text) for r in session.execute(query)]


def kind_counts(session: Session, workspace_id: str) -> Counter[str]:
    query = (
        select(Interaction.kind, func.count())
        .where(Interaction.workspace_id == workspace_id)
        .group_by(Interaction.kind)
    )
    return Counter({kind: int(n) for kind, n in session.execute(query)})


def has_surveys(session: Session, workspace_id: str) -> bool:
    """Whether the workspace holds any survey invite or answer (a new tenant holds none)."""
    query = select(Interaction.id).where(
        Interaction.workspace_id == workspace_id, Interaction.kind.in_(SURVEY_KINDS)
    )
    return session.scalar(query.limit(1)) is not None


def workspace_created(session: Session, workspace_id: str) -> datetime | None:
    """When the workspace was created: a workspace deleted and made again is another one to a cache."""
    return session.scalar(select(Workspace.created_at).where(Workspace.id == workspace_id))
