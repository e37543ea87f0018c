"""Jinja2 templates and the route class that turns domain errors into HTML pages or a login redirect."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from parallax.kit.errors import ParallaxError
from parallax.web.deps import LoginRequired, WebUser
from parallax.web.queries.survey import metrics_service

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _fmt_num(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _fmt_signed(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:+.{digits}f}"


def _urlencode_page(params: Any, page: int) -> str:
    """The current query string with another page number (pagination links keep the filters)."""
    return urlencode([*((k, v) for k, v in params.multi_items() if k != "page"), ("page", str(page))])


TEMPLATES.env.globals["survey_available"] = lambda: metrics_service() is not None
TEMPLATES.env.filters["num"] = _fmt_num
TEMPLATES.env.filters["urlencode_page"] = _urlencode_page
TEMPLATES.env.filters["signed"] = _fmt_signed


def render(
    request: Request, name: str, user: WebUser | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page with the user (for the menu and the CSRF token) in its context."""
    return TEMPLATES.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)


class WebRoute(APIRoute):
    """Pages answer in HTML: no session redirects to /login, a domain error renders an error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            except ParallaxError as exc:
                return render(
                    request,
                    "error.html",
                    None,
                    status_code=exc.status_code,
                    error=exc.error,
                    detail=exc.detail,
                )

        return handler


def redirect(url: str) -> RedirectResponse:
    """Post/redirect/get: every successful form POST answers with a 303 to a page."""
    return RedirectResponse(url, status_code=303)
