"""Metrics as JSON: every figure of the board and the report is served here, each with its schema."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from parallax.api.deps import CallerDep, SessionDep
from parallax.api.errors import KEYED, errors
from parallax.api.types import SinceQuery, UntilQuery
from parallax.metrics import rollup_service
from parallax.metrics.bias import BiasCorrection
from parallax.metrics.board import Board, CellMetrics
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine
from parallax.metrics.frontline import Theme
from parallax.metrics.mirror import MirrorAnswer, MirrorGap, Questionnaire, load_questionnaire, mirror_gaps
from parallax.metrics.mirror_report import MirrorReport, mirror_report
from parallax.metrics.service import (
    HIDDEN_ATTRIBUTES,
    find_hidden_failures,
    frontline,
    survey_timing,
)
from parallax.metrics.survey_correction import survey_correction
from parallax.metrics.timing import TimingLag

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], responses=KEYED)

PeriodQuery = Annotated[str, Query(pattern="^(day|week|all)$", description="Period grain: day, week or all.")]


class BoardOut(BaseModel):
    workspace_id: str
    attribute: str | None
    period: str
    engine: str
    cells: list[CellMetrics]


class HiddenFailureOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    label: str = Field(description="The segment in words, e.g. route=CDG-ORD & cabin=economy.")
    segment: list[tuple[str, str]]
    n: int
    bad: int
    rate_pct: float
    shrunk_rate_pct: float
    comparison_rate_pct: float
    p_value: float
    q_value: float
    impact: float
    explains: list[str] = []
    mainly: str | None = Field(
        None, description="A narrower flagged segment this one is mainly about: the cause to look at first."
    )


class HiddenOut(BaseModel):
    q: float
    failures: list[HiddenFailureOut]


class SurveyBiasOut(BaseModel):
    state: Literal["corrected", "not_enough_answers", "no_survey_answers"] = Field(
        description="no_survey_answers: the workspace holds no survey invitations or answers yet (csat and "
        "nps are null); not_enough_answers: too few to model, `note` says why; corrected: see csat and nps."
    )
    csat: BiasCorrection | None
    nps: BiasCorrection | None
    note: str


class ThemesOut(BaseModel):
    themes: list[Theme]


class GapsOut(BaseModel):
    gaps: list[MirrorGap]


def _board_json(board: Board) -> dict[str, Any]:
    return {
        "workspace_id": board.workspace_id,
        "attribute": board.attribute,
        "period": board.period,
        "engine": board.engine,
        "cells": [asdict(cell) for cell in board.cells],
    }


@router.get("/overview", response_model=BoardOut)
def overview(
    caller: CallerDep,
    session: SessionDep,
    period: PeriodQuery = "all",
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> dict[str, Any]:
    """The whole workspace: inside view next to outside view and the perception gap, per period."""
    scope = Scope(caller.workspace_id, None, period, since, until)
    return _board_json(rollup_service.board(session, scope))


@router.get("/segments", response_model=BoardOut)
def segments(
    caller: CallerDep,
    session: SessionDep,
    attribute: Annotated[str, Query(min_length=1, max_length=60, description="route, airport, channel...")],
    period: PeriodQuery = "week",
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> dict[str, Any]:
    """One row per (segment value, period) of any attribute; thin cells say so instead of a gap."""
    scope = Scope(caller.workspace_id, attribute, period, since, until)
    return _board_json(rollup_service.board(session, scope))


@router.get("/hidden-failures", response_model=HiddenOut)
def hidden(
    caller: CallerDep,
    session: SessionDep,
    attributes: Annotated[list[str] | None, Query(description="Attributes to scan (and pair).")] = None,
    q: Annotated[float, Query(gt=0, lt=1, description="False-discovery rate.")] = 0.05,
) -> dict[str, Any]:
    """Segments and two-way combinations significantly worse than the average that hides them."""
    engine = StoreEngine(session)
    found = find_hidden_failures(engine, caller.workspace_id, attributes or list(HIDDEN_ATTRIBUTES), q)
    return {"q": q, "failures": [{"label": f.label, **asdict(f)} for f in found]}


@router.get("/survey-bias", response_model=SurveyBiasOut)
def bias(
    caller: CallerDep,
    session: SessionDep,
    samples: Annotated[
        int | None,
        Query(ge=10, le=1000, deprecated=True, description="Ignored: kept so older clients still work."),
    ] = None,
) -> SurveyBiasOut:
    """Naive vs non-response-corrected CSAT and NPS, with intervals: the figures of the survey page and
    ``parallax report``, computed once per data version and kept (a new ingest or enrichment recomputes).

    A workspace without survey answers answers 200 with ``state: no_survey_answers``."""
    found = survey_correction(session, caller.workspace_id)
    return SurveyBiasOut(state=found.state, csat=found.bias.csat, nps=found.bias.nps, note=found.bias.note)


@router.get("/survey-timing", response_model=TimingLag)
def timing(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """Scores by delay between the moment of friction and the survey answer."""
    return asdict(survey_timing(session, caller.workspace_id))


@router.get("/frontline", response_model=ThemesOut)
def frontline_route(
    caller: CallerDep, session: SessionDep, k: Annotated[int, Query(ge=1, le=20)] = 6
) -> dict[str, Any]:
    """Themes in agent notes and escalations with counts and weekly trend."""
    return {"themes": [asdict(t) for t in frontline(session, caller.workspace_id, k)]}


class MirrorAnswerIn(BaseModel):
    respondent: str = Field(min_length=1, max_length=200)
    role: str = Field(pattern="^(customer|employee)$")
    item: str = Field(min_length=1, max_length=100)
    score: float


class MirrorIn(BaseModel):
    answers: list[MirrorAnswerIn] = Field(min_length=4, max_length=200_000)


@router.get("/mirror/questionnaire", response_model=Questionnaire)
def questionnaire(caller: CallerDep) -> dict[str, Any]:
    """The shipped CX Index questionnaire (four dimensions, 25-point scale each)."""
    return asdict(load_questionnaire())


@router.post("/mirror", response_model=GapsOut, responses=errors(400, 413))
def mirror(body: MirrorIn, caller: CallerDep) -> dict[str, Any]:
    """Gap per dimension between employees' predictions and customers' answers, with Welch t-tests."""
    answers = [MirrorAnswer(a.respondent, a.role, a.item, a.score) for a in body.answers]
    return {"gaps": [asdict(g) for g in mirror_gaps(load_questionnaire(), answers)]}


@router.get("/mirror", response_model=MirrorReport)
def stored_mirror(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """The mirror report over the answer sheets imported with mapping ``mirror``: overall and per team."""
    report = mirror_report(session, caller.workspace_id, load_questionnaire())
    return {
        "questionnaire": report.questionnaire,
        "customers": report.customers,
        "employees": report.employees,
        "gaps": [asdict(g) for g in report.gaps],
        "by_team": {team: [asdict(g) for g in gaps] for team, gaps in report.by_team.items()},
        "skipped": report.skipped,
    }
