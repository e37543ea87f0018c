"""The gap engine's services over the store: bias correction, hidden failures, timing lag, frontline.

Services read through ``repository`` and the declared statistics (``engines``); they never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from sqlalchemy.orm import Session

from parallax.metrics.bias import BiasCorrection, Invitee, correct_csat, correct_nps
from parallax.metrics.board import cell_stats
from parallax.metrics.declarations import (
    COMBINE,
    FOLLOW_UP_WAVE,
    SEPARATOR,
    SURVEY_WAVE,
    UNKNOWN,
    Scope,
)
from parallax.metrics.engines import Engine
from parallax.metrics.frontline import Theme, frontline_themes
from parallax.metrics.hidden import Counts, HiddenFailure, Key, hidden_failures
from parallax.metrics.repository import Contact, SurveyRow, contacts_by_person, survey_rows, texts
from parallax.metrics.timing import LaggedAnswer, TimingLag, timing_lag

HIDDEN_ATTRIBUTES = ("route", "airport", "cabin", "loyalty_tier")
# Identifiers and free dates would give each invitee a private weight; they are not covariates.
NOT_COVARIATES = frozenset({"flight_number", "trip_date", "respondent", "email", "booking_ref"})
# The survey design, not covariates: who the non-response follow-up phoned, and which wave an answer is from.
FOLLOWED_UP, WAVE = "followed_up", SURVEY_WAVE
DESIGN = frozenset({FOLLOWED_UP, WAVE})
FRICTION_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class SurveyBias:
    csat: BiasCorrection | None
    nps: BiasCorrection | None
    note: str = ""


def survey_bias(session: Session, workspace_id: str, samples: int | None = None) -> SurveyBias:
    """Naive vs non-response-corrected CSAT and NPS, modelled on everyone invited.

    The intervals are analytic (``bias_interval.py``), so the page, the report and the API give the same
    figures for the same answers; ``samples`` is accepted from older callers and not used.
    """
    del samples
    rows = survey_rows(session, workspace_id)
    contacts = contacts_by_person(session, workspace_id)
    invitations = _invitations(rows)
    csat = [_invitee(inv, contacts, "csat") for inv in invitations]
    nps = [_invitee(inv, contacts, "nps") for inv in invitations]
    out: dict[str, BiasCorrection | None] = {"csat": None, "nps": None}
    notes = []
    for name, invitees, fn in (("csat", csat, correct_csat), ("nps", nps, correct_nps)):
        try:
            out[name] = fn(invitees)
        except ValueError as exc:
            notes.append(f"{name}: {exc}")
    return SurveyBias(out["csat"], out["nps"], "; ".join(notes))


def _invitations(rows: Sequence[SurveyRow]) -> list[list[SurveyRow]]:
    """Rows of one invitation share a person and an invitation time (CSAT and NPS answers are two rows)."""
    grouped: dict[tuple[str, datetime], list[SurveyRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.person or row.external_id, row.invited_at)].append(row)
    return list(grouped.values())


def _invitee(rows: list[SurveyRow], contacts: dict[str, list[Contact]], score_type: str) -> Invitee:
    answer = next((r.score for r in rows if r.score_type == score_type and r.score is not None), None)
    features: dict[str, str | float | bool] = {
        k: str(v) for r in rows for k, v in r.segments.items() if k not in NOT_COVARIATES | DESIGN
    }
    design = {k: str(v).lower() for r in rows for k, v in r.segments.items() if k in DESIGN}
    # in the follow-up sample when phoned and not answered online (an online answer counts as online)
    called = design.get(FOLLOWED_UP) == "true" and design.get(WAVE) != "online"
    person = rows[0].person
    history = contacts.get(person, []) if person else []
    features["tickets_by_person"] = float(sum(c.kind == "ticket" for c in history))
    features["negative_voice_by_person"] = float(sum(c.negative and c.kind != "ticket" for c in history))
    return Invitee(features, answer is not None, answer, called)


def segment_counts(engine: Engine, workspace_id: str, attributes: Sequence[str]) -> dict[Key, Counts]:
    """Bad outcomes per segment and two-way combination, from the declared cell statistics.

    Bad = a CSAT answer of 1-3 or a negative volunteered interaction; n = CSAT answers + scored voice.
    """
    counts: dict[Key, Counts] = {}
    scopes = [(a,) for a in attributes] + list(combinations(attributes, 2))
    for attrs in scopes:
        for s in cell_stats(engine, Scope(workspace_id, COMBINE.join(attrs), "all")):
            values = s.segment.split(SEPARATOR) if len(attrs) > 1 else [s.segment]
            if UNKNOWN in values or len(values) != len(attrs):
                continue
            bad = s.csat_1 + s.csat_2 + s.csat_3 + s.voice_negative
            counts[tuple(zip(attrs, values, strict=True))] = Counts(s.csat_n + s.voice_scored, bad)
    return counts


def find_hidden_failures(
    engine: Engine, workspace_id: str, attributes: Sequence[str] = HIDDEN_ATTRIBUTES, q: float = 0.05
) -> list[HiddenFailure]:
    return hidden_failures(segment_counts(engine, workspace_id, attributes), q=q)


def survey_timing(session: Session, workspace_id: str) -> TimingLag:
    """CSAT answers against the delay since the person's first complaint (or the disrupted trip's day).

    Main-wave answers only: a follow-up call comes when the company chooses (two days on), so its answers
    would show a delay the customer never chose.
    """
    contacts = contacts_by_person(session, workspace_id)
    answers = []
    for row in survey_rows(session, workspace_id):
        if row.score_type != "csat" or row.score is None or row.segments.get(WAVE) == FOLLOW_UP_WAVE:
            continue
        moment = _friction_moment(row, contacts.get(row.person or "", []))
        if moment is not None and moment <= row.occurred_at:
            answers.append(LaggedAnswer(moment, row.occurred_at, row.score))
    return timing_lag(answers)


def _friction_moment(row: SurveyRow, history: list[Contact]) -> datetime | None:
    for c in history:
        if (
            c.kind == "ticket" or c.negative
        ) and row.occurred_at - FRICTION_WINDOW <= c.at <= row.occurred_at:
            return c.at
    if str(row.segments.get("disrupted", "")).lower() == "true" and row.segments.get("trip_date"):
        try:
            return datetime.fromisoformat(str(row.segments["trip_date"])[:10])
        except ValueError:
            return None
    return None


def frontline(session: Session, workspace_id: str, k: int = 6) -> list[Theme]:
    """Themes in agent notes and escalations (tickets whose status or text says escalated)."""
    notes = texts(session, workspace_id, ("agent_note",))
    escalations = [(t, x) for t, x in texts(session, workspace_id, ("ticket",)) if "escalat" in x.lower()]
    return frontline_themes(notes + escalations, k=k)
