"""``/mirror``: the mirror survey and the CX Index, what employees believe customers think beside what
customers say, per dimension and per employee team."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from parallax.api.deps import SessionDep
from parallax.metrics.mirror import load_questionnaire
from parallax.metrics.mirror_report import mirror_report
from parallax.web.deps import ViewDep
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/mirror", response_class=HTMLResponse)
def mirror_page(request: Request, user: ViewDep, session: SessionDep) -> HTMLResponse:
    questionnaire = load_questionnaire()
    report = mirror_report(session, user.workspace_id, questionnaire)
    chart = {
        "labels": [g.label for g in report.gaps],
        "customers": [g.customer_mean for g in report.gaps],
        "employees": [g.employee_mean for g in report.gaps],
        "scale": [len(items) * questionnaire.scale[0] for items in questionnaire.dimensions.values()][:1]
        + [len(items) * questionnaire.scale[1] for items in questionnaire.dimensions.values()][:1],
    }
    teams = sorted(report.by_team)
    team_gap = {team: {g.dimension: g for g in report.by_team[team]} for team in teams}
    return render(
        request,
        "mirror.html",
        user,
        active="mirror",
        report=report,
        questionnaire=questionnaire,
        teams=teams,
        team_gap=team_gap,
        chart_data=chart,
    )
