"""Settings, alert rules: the spike rule's bars and fixed threshold lines of this workspace (editable)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from parallax.alerts.rule_settings import load_rules, rules_value, save_rules
from parallax.api.deps import SessionDep
from parallax.web.auth.permissions import Permission
from parallax.web.deps import CsrfUserDep, ensure
from parallax.web.templating import WebRoute, redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.post("/settings/alerts/spike")
def edit_spike(
    user: CsrfUserDep,
    session: SessionDep,
    min_count: Annotated[str, Form()],
    min_evidence: Annotated[str, Form()],
    min_score: Annotated[str, Form()],
    enabled: Annotated[str, Form()] = "",
) -> Response:
    ensure(user, Permission.EDIT_RULES)
    value = rules_value(load_rules(session, user.workspace_id))
    value["spike"] = {
        "enabled": enabled == "on",
        "min_count": min_count,
        "min_evidence": min_evidence,
        "min_score": min_score,
    }
    save_rules(session, user.workspace_id, value, user.email)
    return redirect("/settings#alert-h")


@router.post("/settings/alerts/thresholds")
def add_threshold(
    user: CsrfUserDep,
    session: SessionDep,
    name: Annotated[str, Form()],
    key: Annotated[str, Form()],
    limit: Annotated[str, Form()],
) -> Response:
    ensure(user, Permission.EDIT_RULES)
    value = rules_value(load_rules(session, user.workspace_id))
    value["thresholds"].append({"name": name, "key": key, "limit": limit})
    save_rules(session, user.workspace_id, value, user.email)
    return redirect("/settings#alert-h")


@router.post("/settings/alerts/thresholds/{name}/delete")
def delete_threshold(name: str, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.EDIT_RULES)
    value = rules_value(load_rules(session, user.workspace_id))
    value["thresholds"] = [t for t in value["thresholds"] if t["name"] != name]
    save_rules(session, user.workspace_id, value, user.email)
    return redirect("/settings#alert-h")
