"""Settings, taxonomy: the workspace's complaint taxonomy, a built-in domain pack or its own YAML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from parallax.api.deps import SessionDep
from parallax.enrich.categories.workspace import save_choice
from parallax.web.auth.permissions import Permission
from parallax.web.deps import CsrfUserDep, ensure
from parallax.web.templating import WebRoute, redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.post("/settings/taxonomy")
def choose_taxonomy(
    user: CsrfUserDep,
    session: SessionDep,
    pack: Annotated[str, Form()],
    custom_yaml: Annotated[str, Form()] = "",
) -> Response:
    """A pack by name, or ``custom`` with the YAML text; validated in full before anything is stored."""
    ensure(user, Permission.EDIT_RULES)
    value = {"yaml": custom_yaml} if pack == "custom" else {"pack": pack}
    save_choice(session, user.workspace_id, value, user.email)
    return redirect("/settings#tax-h")
