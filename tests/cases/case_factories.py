"""Plain typed factories for case tests (imported as ``case_factories``: tests/ is not a package)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from parallax.store.interactions import insert_interactions
from parallax.store.models import Case, CaseEvent, Customer, Enrichment

T0 = datetime(2026, 3, 1, 9, 0)


def make_case(
    session: Session,
    workspace_id: str,
    channel: str = "email",
    tier: str | None = None,
    sentiment: float | None = None,
    language: str = "en",
    category: str | None = None,
    external_id: str = "m1",
) -> int:
    """A new case holding one inbound message from a customer on ``channel``; returns its id."""
    customer = Customer(workspace_id=workspace_id, display_name="Ann", loyalty_tier=tier)
    session.add(customer)
    session.flush()
    result = insert_interactions(
        session,
        workspace_id,
        [
            {
                "source": "test",
                "external_id": external_id,
                "channel": channel,
                "kind": "message",
                "solicited": False,
                "direction": "inbound",
                "occurred_at": T0,
                "author_email": "ann@example.com",
                "author_handle": "@ann",
                "text": "My bag never arrived",
                "segments": {},
                "raw": {},
            }
        ],
    )
    interaction_id = result.inserted_ids[0]
    if sentiment is not None:
        session.add(
            Enrichment(
                workspace_id=workspace_id,
                interaction_id=interaction_id,
                version="t@1",
                current=True,
                language=language,
                sentiment_score=sentiment,
                category=category,
            )
        )
    case = Case(
        workspace_id=workspace_id,
        customer_id=customer.id,
        title="Bag never arrived",
        status="new",
        channel=channel,
        opened_at=T0,
        category=category,
        detail={},
    )
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(
            case_id=case.id,
            workspace_id=workspace_id,
            kind="interaction",
            interaction_id=interaction_id,
            actor="system",
            created_at=T0,
        )
    )
    session.flush()
    return case.id
