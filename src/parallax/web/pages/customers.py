"""Customer 360: search (``/customers``) and one customer's profile (``/customers/{id}``), built by the
identity room's profile logic (``queries/profile.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from parallax.api.deps import SessionDep
from parallax.cases import repository as cases_repo
from parallax.web.deps import ViewDep
from parallax.web.queries.customers import search_customers
from parallax.web.queries.profile import customer_profile
from parallax.web.redaction import shown_text
from parallax.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/customers", response_class=HTMLResponse)
def customers(
    request: Request, user: ViewDep, session: SessionDep, q: str = "", tier: str = ""
) -> HTMLResponse:
    rows = search_customers(session, user.workspace_id, q, tier)
    return render(request, "customers.html", user, active="customers", rows=rows, q=q, tier=tier)


def sentiment_chart(profile: Any) -> dict[str, Any]:
    return {
        "x": [at.isoformat(sep=" ", timespec="minutes") for at, _ in profile.sentiment],
        "y": [score for _, score in profile.sentiment],
    }


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer(request: Request, customer_id: int, user: ViewDep, session: SessionDep) -> HTMLResponse:
    profile = customer_profile(session, user.workspace_id, customer_id)
    # The profile's texts are raw; each is shown under the redaction policy for the user's role.
    history = [{"item": h, "text": shown_text(h.text, user.role)} for h in profile.history]
    cases = cases_repo.list_cases(
        session, user.workspace_id, cases_repo.InboxFilter(customer_id=profile.id), 20
    )
    return render(
        request,
        "customer.html",
        user,
        active="customers",
        profile=profile,
        history=history,
        cases=cases,
        chart=sentiment_chart(profile),
    )
