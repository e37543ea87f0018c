"""One pass of conditional aggregation giving inside (surveys) and outside (organic) figures per group.

Definitions (docs/web.md): a survey answer is *favourable* when CSAT >= 4, NPS >= 9 or stars >= 4; an
organic inbound interaction is favourable when its current enrichment says positive (reviews not yet
enriched fall back to stars >= 4 / <= 2). The gap is inside favourable % minus outside favourable %, in
points: positive means the dashboard looks better than what customers say unprompted. Answers of a
non-response follow-up wave are a correction sample, not the company's survey: the inside view leaves them
out (``main_wave``), as the metrics' declarations do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from parallax.metrics.declarations import FOLLOW_UP_WAVE, SURVEY_WAVE
from parallax.store.models import Enrichment, Interaction, InteractionSegment

Ix, E = Interaction, Enrichment
MIN_N = 5


@dataclass(frozen=True)
class GapFigures:
    """Counts behind one cell; the percentages are derived so every number can be explained."""

    surveys: int = 0
    survey_favourable: int = 0
    csat_n: int = 0
    csat_sum: float = 0.0
    nps_n: int = 0
    nps_promoters: int = 0
    nps_detractors: int = 0
    organic: int = 0
    labelled: int = 0
    positive: int = 0
    negative: int = 0

    def __add__(self, other: GapFigures) -> GapFigures:
        """Counts add up, so days add up to weeks and weeks to windows."""
        return GapFigures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def inside_pct(self) -> float | None:
        return 100.0 * self.survey_favourable / self.surveys if self.surveys >= MIN_N else None

    @property
    def outside_pct(self) -> float | None:
        return 100.0 * self.positive / self.labelled if self.labelled >= MIN_N else None

    @property
    def negative_pct(self) -> float | None:
        return 100.0 * self.negative / self.labelled if self.labelled >= MIN_N else None

    @property
    def gap(self) -> float | None:
        inside, outside = self.inside_pct, self.outside_pct
        return None if inside is None or outside is None else inside - outside

    @property
    def csat(self) -> float | None:
        return self.csat_sum / self.csat_n if self.csat_n else None

    @property
    def nps(self) -> float | None:
        return 100.0 * (self.nps_promoters - self.nps_detractors) / self.nps_n if self.nps_n else None


def _label() -> Any:
    stars = and_(Ix.score_type == "stars", E.sentiment_label.is_(None))
    return case(
        (E.sentiment_label.is_not(None), E.sentiment_label),
        (and_(stars, Ix.score_value >= 4), "positive"),
        (and_(stars, Ix.score_value <= 2), "negative"),
        (stars, "neutral"),
        else_=None,
    )


def _favourable_survey() -> Any:
    return or_(
        and_(Ix.score_type == "csat", Ix.score_value >= 4),
        and_(Ix.score_type == "nps", Ix.score_value >= 9),
        and_(Ix.score_type == "stars", Ix.score_value >= 4),
    )


def main_wave(workspace_id: str) -> Any:
    """Not an answer of the follow-up wave (IN over the segment index; empty without a follow-up)."""
    follow_up = select(InteractionSegment.interaction_id).where(
        InteractionSegment.workspace_id == workspace_id,
        InteractionSegment.key == SURVEY_WAVE,
        InteractionSegment.value == FOLLOW_UP_WAVE,
    )
    return Ix.id.not_in(follow_up)


def survey_answer(workspace_id: str) -> Any:
    """The inside view's rows: solicited, scored, main wave."""
    return and_(Ix.solicited.is_(True), Ix.score_value.is_not(None), main_wave(workspace_id))


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _measures(workspace_id: str) -> list[Any]:
    survey = survey_answer(workspace_id)
    organic = and_(Ix.solicited.is_(False), Ix.direction == "inbound")
    label = _label()
    return [
        _count(survey),
        _count(and_(survey, _favourable_survey())),
        _count(and_(survey, Ix.score_type == "csat")),
        func.sum(case((and_(survey, Ix.score_type == "csat"), Ix.score_value), else_=0.0)),
        _count(and_(survey, Ix.score_type == "nps")),
        _count(and_(survey, Ix.score_type == "nps", Ix.score_value >= 9)),
        _count(and_(survey, Ix.score_type == "nps", Ix.score_value <= 6)),
        _count(organic),
        _count(and_(organic, label.is_not(None))),
        _count(and_(organic, label == "positive")),
        _count(and_(organic, label == "negative")),
    ]


def gap_figures(
    session: Session,
    workspace_id: str,
    start: datetime,
    end: datetime,
    group_by: Sequence[Any] = (),
    segment_key: str | None = None,
) -> list[tuple[tuple[Any, ...], GapFigures]]:
    """Figures per group over [start, end); with ``segment_key``, group on ``InteractionSegment.value``."""
    query = (
        select(*group_by, *_measures(workspace_id))
        .select_from(Ix)
        .outerjoin(E, and_(E.interaction_id == Ix.id, E.current.is_(True)))
        .where(Ix.workspace_id == workspace_id, Ix.occurred_at >= start, Ix.occurred_at < end)
    )
    if segment_key is not None:
        query = query.join(
            InteractionSegment,
            and_(InteractionSegment.interaction_id == Ix.id, InteractionSegment.key == segment_key),
        )
    if group_by:
        query = query.group_by(*group_by)
    out = []
    width = len(group_by)
    for row in session.execute(query).all():
        numbers = [0 if v is None else v for v in row[width:]]
        ints = [int(v) for v in numbers]
        figures = GapFigures(ints[0], ints[1], ints[2], float(numbers[3]), *ints[4:])
        out.append((tuple(row[:width]), figures))
    return out
