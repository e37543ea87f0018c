"""``/survey``: what the surveys would say if everyone invited had answered, and the hidden failures the
metrics room finds with a statistical test. Shown where the metrics room's services are installed; a
workspace without survey answers gets the page with a note saying so."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from parallax.api.deps import SessionDep
from parallax.kit.errors import NotFound
from parallax.web.deps import ViewDep
from parallax.web.queries.survey import survey_figures
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/survey", response_class=HTMLResponse)
def survey_page(request: Request, user: ViewDep, session: SessionDep) -> HTMLResponse:
    figures = survey_figures(session, user.workspace_id)
    if figures is None:
        raise NotFound("survey correction needs the metrics room's services (parallax.metrics.service)")
    return render(request, "survey.html", user, active="survey", figures=figures)
