"""Customer search for the 360 pages: by id, by name, else the newest customers (primary-key order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.store.models import Customer

LIMIT = 50


@dataclass(frozen=True)
class CustomerRow:
    id: int
    display_name: str
    loyalty_tier: str | None
    value: float | None
    updated_at: datetime


def search_customers(session: Session, workspace_id: str, q: str = "", tier: str = "") -> list[CustomerRow]:
    query = select(Customer).where(Customer.workspace_id == workspace_id, Customer.merged_into_id.is_(None))
    q = q.strip()
    if q.isdigit():
        query = query.where(Customer.id == int(q))
    elif q:
        query = query.where(Customer.display_name.ilike(f"%{q}%"))
    if tier:
        query = query.where(Customer.loyalty_tier == tier)
    rows = session.scalars(query.order_by(Customer.id.desc()).limit(LIMIT))
    return [CustomerRow(c.id, c.display_name, c.loyalty_tier, c.value, c.updated_at) for c in rows]
