"""Inside and outside views of one cell (segment x period), computed from its sufficient statistics.

Example:
    >>> stats = CellStats.from_row({"segment": "LHR-JFK", "period": "2026-03-02 00:00:00",
    ...     "invites": 10, "responses": 4, "csat_5": 3, "csat_2": 1, "voice": 5, "voice_scored": 5,
    ...     "voice_negative": 3, "voice_positive": 1, "complaints": 3, "customers": 8})
    >>> inside_view(stats).csat_satisfied_pct, inside_view(stats).response_rate_pct
    (75.0, 40.0)
    >>> outside_view(stats).negative_share_pct, outside_view(stats).complaint_rate_per_1000
    (60.0, 375.0)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from parallax.metrics.declarations import STATISTICS


def _ratio(numerator: float, denominator: float, scale: float = 100.0) -> float | None:
    return None if denominator <= 0 else round(scale * numerator / denominator, 4)


@dataclass(frozen=True)
class CellStats:
    """Counts and sums for one cell; field names match ``declarations.STATISTICS`` exactly."""

    segment: str
    period: date | None
    interactions: int = 0
    customers: int = 0
    invites: int = 0
    responses: int = 0
    csat_1: int = 0
    csat_2: int = 0
    csat_3: int = 0
    csat_4: int = 0
    csat_5: int = 0
    nps_promoters: int = 0
    nps_passives: int = 0
    nps_detractors: int = 0
    ces_n: int = 0
    ces_sum: float = 0.0
    ces_easy: int = 0
    ces_hard: int = 0
    tickets: int = 0
    tickets_open: int = 0
    tickets_closed: int = 0
    tickets_fcr: int = 0
    tickets_closed_unresolved: int = 0
    voice: int = 0
    voice_scored: int = 0
    voice_negative: int = 0
    voice_positive: int = 0
    complaints: int = 0
    friction_n: int = 0
    friction_sum: float = 0.0
    repeat_effort: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CellStats:
        """Build from an engine row; engines disagree on types (Decimal, numpy, text dates), this agrees."""
        values: dict[str, Any] = {"segment": str(row["segment"]), "period": as_date(row.get("period"))}
        for f in fields(cls)[2:]:
            raw = row.get(f.name)
            values[f.name] = (0 if f.type == "int" else 0.0) if raw is None or raw != raw else raw
            values[f.name] = int(values[f.name]) if f.type == "int" else float(values[f.name])
        return cls(**values)

    @property
    def csat_n(self) -> int:
        return self.csat_1 + self.csat_2 + self.csat_3 + self.csat_4 + self.csat_5

    @property
    def nps_n(self) -> int:
        return self.nps_promoters + self.nps_passives + self.nps_detractors

    def counts(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)[2:]}


assert [f.name for f in fields(CellStats)[2:]] == list(STATISTICS), "CellStats must mirror STATISTICS"


def as_date(value: Any) -> date | None:
    if value is None or value != value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    return datetime.fromisoformat(str(value)).date()


@dataclass(frozen=True)
class InsideView:
    """What the company's own systems report for the cell."""

    csat_n: int
    csat_mean: float | None
    csat_satisfied_pct: float | None
    nps_n: int
    nps: float | None
    ces_n: int
    ces_mean: float | None
    invites: int
    responses: int
    response_rate_pct: float | None
    tickets: int
    backlog: int
    fcr_pct: float | None
    median_hours_to_first_response: float | None = None
    median_hours_to_close: float | None = None


@dataclass(frozen=True)
class OutsideView:
    """What customers volunteered, unasked, in the cell."""

    voice: int
    voice_scored: int
    negative_share_pct: float | None
    net_sentiment: float | None
    complaints: int
    customers: int
    complaint_rate_per_1000: float | None
    friction_index: float | None
    repeat_effort_pct: float | None
    closed_unresolved_pct: float | None


def inside_view(s: CellStats, medians: tuple[float | None, float | None] = (None, None)) -> InsideView:
    csat_sum = sum(k * getattr(s, f"csat_{k}") for k in range(1, 6))
    return InsideView(
        csat_n=s.csat_n,
        csat_mean=None if s.csat_n == 0 else round(csat_sum / s.csat_n, 4),
        csat_satisfied_pct=_ratio(s.csat_4 + s.csat_5, s.csat_n),
        nps_n=s.nps_n,
        nps=_ratio(s.nps_promoters - s.nps_detractors, s.nps_n),
        ces_n=s.ces_n,
        ces_mean=None if s.ces_n == 0 else round(s.ces_sum / s.ces_n, 4),
        invites=s.invites,
        responses=s.responses,
        response_rate_pct=_ratio(s.responses, s.invites),
        tickets=s.tickets,
        backlog=s.tickets_open,
        fcr_pct=_ratio(s.tickets_fcr, s.tickets_closed),
        median_hours_to_first_response=medians[0],
        median_hours_to_close=medians[1],
    )


def outside_view(s: CellStats) -> OutsideView:
    return OutsideView(
        voice=s.voice,
        voice_scored=s.voice_scored,
        negative_share_pct=_ratio(s.voice_negative, s.voice_scored),
        net_sentiment=_ratio(s.voice_positive - s.voice_negative, s.voice_scored),
        complaints=s.complaints,
        customers=s.customers,
        complaint_rate_per_1000=_ratio(s.complaints, s.customers, 1000.0),
        friction_index=_ratio(s.friction_sum, s.friction_n),
        repeat_effort_pct=_ratio(s.repeat_effort, s.voice),
        closed_unresolved_pct=_ratio(s.tickets_closed_unresolved, s.tickets_closed),
    )
