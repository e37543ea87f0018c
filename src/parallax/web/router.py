"""The web app's one router: include it in the FastAPI app (``app.include_router(web_router)``)."""

from __future__ import annotations

from fastapi import APIRouter

from parallax.web.pages import (
    alert_settings,
    case_actions,
    cases,
    customers,
    executive,
    live,
    login,
    mirror,
    settings,
    static,
    survey,
    taxonomy_settings,
)

router = APIRouter(include_in_schema=False)
for page in (
    static,
    login,
    executive,
    survey,
    mirror,
    live,
    customers,
    cases,
    case_actions,
    settings,
    alert_settings,
    taxonomy_settings,
):
    router.include_router(page.router)
