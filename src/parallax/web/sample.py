"""A seeded sample world for the web app's tests and ``parallax bench web``: fast bulk rows with known truth.

Truth: the routes in ``HIDDEN_ROUTES`` have good surveys but mostly negative organic voices, so they must
top the hidden-failures list. Rows go in through SQLAlchemy Core ``executemany`` in large batches, which is
what makes a million interactions take seconds rather than minutes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from parallax.store.models import (
    Alert,
    Case,
    CaseEvent,
    Customer,
    Enrichment,
    Interaction,
    InteractionSegment,
)

ROUTES = [
    f"{a}-{b}"
    for a, b in zip(
        ["JFK", "LHR", "CDG", "AMS", "FRA", "MAD", "BCN", "FCO", "DUB", "ZRH"],
        ["LAX", "SFO", "ORD", "MIA", "BOS", "SEA", "ATL", "DFW", "DEN", "IAD"],
        strict=True,
    )
]
HIDDEN_ROUTES = ("CDG-ORD", "BCN-ATL")
CABINS = ("economy", "premium", "business")
CHANNELS = ("twitter", "review", "chat", "email", "forum")
NEGATIVE = ("Flight delayed again and nobody told us anything", "Lost my bag, third call and still no answer")
POSITIVE = ("Crew were lovely and we landed early", "Smooth boarding, great seat")
NEUTRAL = ("Flight was fine I guess", "Is there wifi on this route?")
BATCH = 20_000


@dataclass(frozen=True)
class SampleSpec:
    interactions: int = 2_000
    weeks: int = 8
    end: datetime = datetime(2026, 3, 2)
    seed: int = 7
    customers: int = 0  # 0: one per 20 interactions
    cases: int = 0  # 0: one per 100 interactions
    mirror: bool = True  # add a mirror survey (customers' and employees' answer sheets)


def _rows(
    spec: SampleSpec, workspace_id: str, first_customer: int, n_customers: int
) -> Iterator[dict[str, Any]]:
    rng = random.Random(spec.seed)
    span = spec.weeks * 7 * 86400
    start = spec.end - timedelta(seconds=span)
    # Stores receive interactions roughly in time order, so ids follow time (as in a real ingest).
    offsets = sorted(rng.randrange(span) for _ in range(spec.interactions))
    for i, offset in enumerate(offsets):
        route = rng.choice(ROUTES)
        solicited = rng.random() < 0.3
        hidden = route in HIDDEN_ROUTES
        row: dict[str, Any] = {
            "workspace_id": workspace_id,
            "source": "sample",
            "external_id": f"s{spec.seed}-{i}",
            "occurred_at": start + timedelta(seconds=offset),
            "received_at": spec.end,
            "direction": "inbound",
            "solicited": solicited,
            "customer_id": first_customer + rng.randrange(n_customers) if n_customers else None,
            "segments": {"route": route, "cabin": rng.choice(CABINS)},
            "raw": {},
        }
        if solicited:
            row.update(
                channel="survey",
                kind="survey_response",
                score_type="csat",
                score_value=float(rng.choice((4, 4, 5, 5, 5) if hidden else (3, 4, 4, 5, 5))),
                text=None,
            )
        else:
            p_neg = 0.75 if hidden else 0.3
            draw = rng.random()
            tone = "negative" if draw < p_neg else ("positive" if draw < p_neg + 0.45 else "neutral")
            pool = {"negative": NEGATIVE, "positive": POSITIVE, "neutral": NEUTRAL}[tone]
            row.update(
                channel=rng.choice(CHANNELS),
                kind="message",
                score_type=None,
                score_value=None,
                text=rng.choice(pool) + f" (mail me: user{i % 97}@example.com)",
                tone=tone,
            )
        yield row


def _sql_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"  # SQLAlchemy's SQLite DateTime format
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows sharing one set of keys; on SQLite straight through the driver's executemany (about 5x
    faster than Core at a million rows), elsewhere through SQLAlchemy Core."""
    if not rows:
        return
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.__tablename__}" ({", ".join(columns)}) VALUES ({marks})'
    cursor = session.connection().connection.cursor()
    cursor.executemany(statement, [tuple(_sql_value(row[c]) for c in columns) for row in rows])
    cursor.close()


def _flush(session: Session, rows: list[dict[str, Any]], version: str) -> None:
    tones = [r.pop("tone", None) for r in rows]
    first = (session.scalar(select(func.max(Interaction.id))) or 0) + 1
    for offset, row in enumerate(rows):
        row["id"] = first + offset
    bulk_insert(session, Interaction, rows)
    bulk_insert(
        session,
        InteractionSegment,
        [
            {"interaction_id": r["id"], "workspace_id": r["workspace_id"], "key": k, "value": v}
            for r in rows
            for k, v in r["segments"].items()
        ],
    )
    score = {"negative": -0.6, "positive": 0.6, "neutral": 0.0}
    enrichments = [
        {
            "workspace_id": r["workspace_id"],
            "interaction_id": r["id"],
            "version": version,
            "current": True,
            "language": "en",
            "sentiment_label": tone,
            "sentiment_score": score[tone],
            "sentiment_confidence": 0.9,
            "category": "delay" if tone == "negative" else None,
            "redacted_text": None,
            "detail": {},
            "model_versions": {},
            "created_at": r["received_at"],
        }
        for r, tone in zip(rows, tones, strict=True)
        if tone is not None
    ]
    if enrichments:
        bulk_insert(session, Enrichment, enrichments)


def load_sample(session: Session, workspace_id: str, spec: SampleSpec = SampleSpec()) -> int:
    """Insert the sample world into ``workspace_id``; returns the number of interactions. Does not commit."""
    n_customers = spec.customers or max(1, spec.interactions // 20)
    first_customer = (session.scalar(select(func.max(Customer.id))) or 0) + 1
    for start in range(0, n_customers, BATCH):
        bulk_insert(
            session,
            Customer,
            [
                {
                    "id": first_customer + k,
                    "workspace_id": workspace_id,
                    "display_name": f"Customer {k}",
                    "loyalty_tier": ("gold", "silver", None)[k % 3],
                    "created_at": spec.end,
                    "updated_at": spec.end,
                }
                for k in range(start, min(n_customers, start + BATCH))
            ],
        )
    batch: list[dict[str, Any]] = []
    for row in _rows(spec, workspace_id, first_customer, n_customers):
        batch.append(row)
        if len(batch) >= BATCH:
            _flush(session, batch, "sample@1")
            batch = []
    if batch:
        _flush(session, batch, "sample@1")
    load_cases(session, workspace_id, spec.cases or max(1, spec.interactions // 100), spec.end)
    load_alerts(session, workspace_id, spec.end)
    if spec.mirror:
        load_mirror(session, workspace_id, spec.end, spec.seed)
    return spec.interactions


def load_mirror(session: Session, workspace_id: str, end: datetime, seed: int) -> None:
    """A mirror survey answered by 300 customers and 60 employees, drawn by the simulator's own model."""
    import numpy as np

    from parallax.simulate.mirror import build_mirror

    rng = np.random.default_rng(seed)
    survey = build_mirror(rng.normal(0.0, 1.0, size=600), days=7, rng=rng, customers=300, employees=60)
    rows = [
        {
            "workspace_id": workspace_id,
            "source": "mirror-survey",
            "external_id": f"mirror-{seed}-{k}",
            "occurred_at": end - timedelta(hours=float(survey.submitted_h[k]) % 48),
            "received_at": end,
            "direction": "inbound",
            "solicited": True,
            "customer_id": None,
            "segments": {"role": survey.role[k], **({"team": survey.team[k]} if survey.team[k] else {})},
            "raw": {item: str(v) for item, v in zip(survey.items, survey.answers[k].tolist(), strict=True)},
            "channel": "survey",
            "kind": "mirror_response",
            "score_type": None,
            "score_value": None,
            "text": None,
        }
        for k in range(survey.answers.shape[0])
    ]
    _flush(session, rows, "sample@1")


def load_cases(session: Session, workspace_id: str, n: int, end: datetime) -> None:
    """One case per negative organic message, for the newest ``n`` of them, each holding its message."""
    query = (
        select(Interaction.id, Interaction.channel, Interaction.customer_id, Interaction.occurred_at)
        .join(Enrichment, Enrichment.interaction_id == Interaction.id)
        .where(Interaction.workspace_id == workspace_id, Enrichment.sentiment_label == "negative")
        .order_by(Interaction.id.desc())
        .limit(n)
    )
    rows = session.execute(query).all()
    first = (session.scalar(select(func.max(Case.id))) or 0) + 1
    cases: list[dict[str, Any]] = [
        {
            "id": first + k,
            "workspace_id": workspace_id,
            "customer_id": customer,
            "title": f"Complaint via {channel}",
            "status": "new",
            "priority": "normal",
            "category": "delay",
            "channel": channel,
            "opened_at": at,
            "sla_due_at": at + timedelta(hours=24),
            "detail": {},
        }
        for k, (_, channel, customer, at) in enumerate(rows)
    ]
    for start in range(0, len(cases), BATCH):
        bulk_insert(session, Case, cases[start : start + BATCH])
    events: list[dict[str, Any]] = [
        {
            "case_id": first + k,
            "workspace_id": workspace_id,
            "kind": "interaction",
            "interaction_id": iid,
            "actor": "system",
            "body": "",
            "detail": {},
            "created_at": at,
        }
        for k, (iid, _, _, at) in enumerate(rows)
    ]
    for start in range(0, len(events), BATCH):
        bulk_insert(session, CaseEvent, events[start : start + BATCH])


def load_alerts(session: Session, workspace_id: str, end: datetime) -> None:
    for k, route in enumerate(HIDDEN_ROUTES):
        at = end - timedelta(hours=6 * (k + 1))
        session.add(
            Alert(
                workspace_id=workspace_id,
                rule="spike",
                key=f"route:{route}",
                severity="high",
                status="open",
                title=f"Spike of delay complaints on {route}",
                started_at=at,
                last_seen_at=at,
                count=3,
                detail={"latest": {"topic": "delay", "segment": {"route": route}}},
            )
        )
    session.flush()
