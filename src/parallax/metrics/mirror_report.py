"""The mirror report over the store: imported answer sheets (``kind = mirror_response``) to gaps.

An answer sheet is one interaction: its segments say the respondent's ``role`` (customer or employee) and,
for employees, their ``team``; its raw payload holds the item answers (``privacy_1: "4"``...). Sheets with
an unreadable or out-of-range item are skipped and counted, never guessed: a report that silently drops a
third of the employees would mislead more than it informs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from parallax.metrics.mirror import ROLES, MirrorGap, Questionnaire, gaps_from_scores
from parallax.store.models import Interaction

MIRROR_KIND = "mirror_response"


@dataclass(frozen=True)
class AnswerSheet:
    respondent: str
    role: str
    team: str
    answers: dict[str, float]


@dataclass(frozen=True)
class MirrorReport:
    questionnaire: str
    customers: int
    employees: int
    gaps: list[MirrorGap]
    by_team: dict[str, list[MirrorGap]]
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> sheets left out

    @property
    def empty(self) -> bool:
        return not self.gaps


def answer_sheets(session: Session, workspace_id: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(external id, segments, raw) of every mirror answer sheet of the workspace."""
    query = select(Interaction.external_id, Interaction.segments, Interaction.raw).where(
        Interaction.workspace_id == workspace_id, Interaction.kind == MIRROR_KIND
    )
    return [(r.external_id, r.segments or {}, r.raw or {}) for r in session.execute(query)]


def read_sheet(
    q: Questionnaire, external_id: str, segments: dict[str, Any], raw: dict[str, Any]
) -> AnswerSheet | str:
    """One stored sheet as answers, or the reason it cannot be used."""
    role = str(segments.get("role") or raw.get("role") or "").strip().lower()
    if role not in ROLES:
        return "role is not customer or employee"
    items = {item for dim_items in q.dimensions.values() for item in dim_items}
    answers: dict[str, float] = {}
    for item in items & raw.keys():
        cell = raw[item]
        if cell is None or str(cell).strip() == "":
            continue
        try:
            score = float(cell)
        except ValueError:
            return f"item {item} is not a number"
        if not q.scale[0] <= score <= q.scale[1]:
            return f"item {item} is outside {q.scale[0]}-{q.scale[1]}"
        answers[item] = score
    answers = _complete_dimensions(q, answers)
    if not answers:
        return "no dimension fully answered"
    team = str(segments.get("team") or "").strip() if role == "employee" else ""
    return AnswerSheet(external_id, role, team, answers)


def _complete_dimensions(q: Questionnaire, answers: dict[str, float]) -> dict[str, float]:
    """A dimension's score is the sum of all its items, so a dimension with a skipped item is left out."""
    return {
        item: answers[item]
        for dim_items in q.dimensions.values()
        if all(item in answers for item in dim_items)
        for item in dim_items
    }


def mirror_report(session: Session, workspace_id: str, q: Questionnaire) -> MirrorReport:
    """Gap per dimension (all employees vs all customers), and per employee team vs all customers."""
    sheets, skipped = _usable(q, answer_sheets(session, workspace_id))
    customers = [s for s in sheets if s.role == "customer"]
    employees = [s for s in sheets if s.role == "employee"]
    teams = sorted({s.team for s in employees if s.team})
    # Each sheet's dimension scores are summed once; every team's test reuses the customers' arrays.
    said = _dimension_scores(q, customers)
    by_team = {
        team: gaps_from_scores(
            q, _paired(said, _dimension_scores(q, [s for s in employees if s.team == team]))
        )
        for team in teams
    }
    return MirrorReport(
        questionnaire=q.name,
        customers=len(customers),
        employees=len(employees),
        gaps=gaps_from_scores(q, _paired(said, _dimension_scores(q, employees))),
        by_team={team: gaps for team, gaps in by_team.items() if gaps},
        skipped=dict(skipped),
    )


def _dimension_scores(q: Questionnaire, sheets: list[AnswerSheet]) -> dict[str, np.ndarray]:
    """Per dimension, the score (sum of its items) of every sheet that answered it in full."""
    return {
        dim: np.array([sum(s.answers[i] for i in items) for s in sheets if items[0] in s.answers])
        for dim, items in q.dimensions.items()
    }


def _paired(
    customers: dict[str, np.ndarray], employees: dict[str, np.ndarray]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {dim: (customers[dim], employees[dim]) for dim in customers}


def _usable(
    q: Questionnaire, rows: Iterable[tuple[str, dict[str, Any], dict[str, Any]]]
) -> tuple[list[AnswerSheet], Counter[str]]:
    sheets: list[AnswerSheet] = []
    skipped: Counter[str] = Counter()
    for external_id, segments, raw in rows:
        sheet = read_sheet(q, external_id, segments, raw)
        if isinstance(sheet, str):
            skipped[sheet] += 1
        else:
            sheets.append(sheet)
    return sheets, skipped
