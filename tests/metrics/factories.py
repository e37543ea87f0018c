"""Plain typed factories: interactions and enrichments inserted through the store's own repository."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert as sql_insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.store.interactions import insert_interactions
from parallax.store.models import Enrichment, Interaction

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday


def row(external_id: str, kind: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "source": fields.pop("source", "test"),
        "external_id": external_id,
        "channel": fields.pop("channel", "survey" if kind.startswith("survey") else "twitter"),
        "kind": kind,
        "solicited": kind.startswith("survey"),
        "direction": "inbound",
        "occurred_at": fields.pop("occurred_at", T0),
        "segments": fields.pop("segments", {}),
    }
    return {**base, **fields}


def survey(
    n: str,
    score: float | None,
    route: str,
    at: datetime = T0,
    score_type: str = "csat",
    email: str | None = None,
) -> dict[str, Any]:
    kind = "survey_invite" if score is None else "survey_response"
    return row(
        f"s{n}",
        kind,
        occurred_at=at,
        invited_at=at,
        score_type=None if score is None else score_type,
        score_value=score,
        author_email=email,
        segments={"route": route},
    )


def post(n: str, route: str, at: datetime = T0, email: str | None = None) -> dict[str, Any]:
    return row(f"p{n}", "post", occurred_at=at, text="x", author_email=email, segments={"route": route})


def ticket(
    n: str,
    route: str,
    at: datetime = T0,
    close_hours: float | None = None,
    first_hours: float | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    return row(
        f"t{n}",
        "ticket",
        channel="email",
        occurred_at=at,
        author_email=email,
        closed_at=None if close_hours is None else at + timedelta(hours=close_hours),
        first_response_at=None if first_hours is None else at + timedelta(hours=first_hours),
        status="open" if close_hours is None else "solved",
        segments={"route": route},
    )


def insert(
    session: Session, workspace: str, rows: list[dict[str, Any]], labels: dict[str, str] | None = None
) -> dict[str, int]:
    """Insert rows and, for ``labels`` (external_id -> sentiment label), a current enrichment each."""
    result = insert_interactions(session, workspace, rows)
    ids: dict[str, int] = {}

    for iid, ext in session.execute(
        select(Interaction.id, Interaction.external_id).where(Interaction.id.in_(result.inserted_ids))
    ):
        ids[ext] = iid
    enrichments = [
        {
            "workspace_id": workspace,
            "interaction_id": ids[ext],
            "version": "test",
            "current": True,
            "sentiment_label": label,
            "friction": 1.0 if label == "negative" else 0.0,
        }
        for ext, label in (labels or {}).items()
    ]
    if enrichments:
        session.execute(sql_insert(Enrichment), enrichments)
    session.flush()
    return ids
