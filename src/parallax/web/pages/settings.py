"""Settings: workspace, users and roles, API keys, routing rules (editable), taxonomy and alert rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from parallax.alerts.rule_settings import SPIKE_BOUNDS, load_rules, rules_value
from parallax.api.deps import SessionDep
from parallax.cases import repository as cases_repo
from parallax.cases.routing import FIELDS, RoutingRule, validate_rule
from parallax.cases.sla import PRIORITIES
from parallax.enrich.categories.taxonomy import BUILTIN_PACKS
from parallax.enrich.categories.workspace import load_choice
from parallax.kit.clock import utcnow
from parallax.kit.errors import ValidationFailed
from parallax.store.workspaces import create_api_key
from parallax.web.auth.permissions import ROLES, Permission
from parallax.web.auth.users import create_user, delete_user, list_users, set_disabled, set_role
from parallax.web.deps import CsrfUserDep, ViewDep, WebUser, ensure
from parallax.web.queries import settings as q
from parallax.web.templating import WebRoute, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAX_KEY_DAYS = 3650


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: ViewDep, session: SessionDep) -> HTMLResponse:
    return _settings(request, user, session)


def _settings(request: Request, user: WebUser, session: Session, new_key: str = "") -> HTMLResponse:
    admin = user.can(Permission.ADMIN)
    choice = load_choice(session, user.workspace_id)
    return render(
        request,
        "settings.html",
        user,
        active="settings",
        workspace=q.workspace(session, user.workspace_id),
        users=list_users(session, user.workspace_id) if admin else [],
        roles=list(ROLES),
        keys=q.api_keys(session, user.workspace_id) if admin else [],
        now=utcnow(),
        new_key=new_key if admin else "",
        rules=cases_repo.routing_rules(session, user.workspace_id),
        fields=FIELDS,
        priorities=PRIORITIES,
        taxonomy=q.taxonomy(session, user.workspace_id),
        taxonomy_choice=choice,
        taxonomy_in_force=choice.load(),
        packs=BUILTIN_PACKS,
        alert_rules=q.alert_rules_seen(session, user.workspace_id),
        alert_settings=rules_value(load_rules(session, user.workspace_id)),
        spike_bounds=SPIKE_BOUNDS,
    )


@router.post("/settings/workspace")
def rename(user: CsrfUserDep, session: SessionDep, name: Annotated[str, Form()]) -> Response:
    ensure(user, Permission.ADMIN)
    q.rename_workspace(session, user.workspace_id, name)
    return redirect("/settings")


@router.post("/settings/users")
def add_user(
    user: CsrfUserDep,
    session: SessionDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
) -> Response:
    ensure(user, Permission.ADMIN)
    create_user(session, user.workspace_id, email, password, role, name)
    return redirect("/settings#users")


@router.post("/settings/users/{user_id}/role")
def change_role(
    user_id: int, user: CsrfUserDep, session: SessionDep, role: Annotated[str, Form()]
) -> Response:
    ensure(user, Permission.ADMIN)
    set_role(session, user.workspace_id, user_id, role)
    return redirect("/settings#users")


@router.post("/settings/users/{user_id}/disable")
def disable_user(user_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    """The user can no longer log in and every session of theirs ends now."""
    ensure(user, Permission.ADMIN)
    set_disabled(session, user.workspace_id, user.id, user_id, True, utcnow())
    return redirect("/settings#users")


@router.post("/settings/users/{user_id}/enable")
def enable_user(user_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.ADMIN)
    set_disabled(session, user.workspace_id, user.id, user_id, False, utcnow())
    return redirect("/settings#users")


@router.post("/settings/users/{user_id}/delete")
def remove_user(user_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.ADMIN)
    delete_user(session, user.workspace_id, user.id, user_id)
    return redirect("/settings#users")


@router.post("/settings/keys")
def new_key(
    request: Request,
    user: CsrfUserDep,
    session: SessionDep,
    name: Annotated[str, Form()],
    expires_days: Annotated[str, Form()] = "",
) -> Response:
    ensure(user, Permission.ADMIN)
    expires = _expiry(expires_days)
    secret = create_api_key(session, user.workspace_id, name.strip() or "web", expires_at=expires)
    # Shown once in this response (never in a URL, never stored in clear).
    return _settings(request, user, session, new_key=secret)


def _expiry(days: str) -> datetime | None:
    """Now plus ``days`` (1 to 3650), or None for a key that does not expire."""
    if not days.strip():
        return None
    if not days.strip().isdigit() or not 1 <= int(days) <= MAX_KEY_DAYS:
        raise ValidationFailed(f"a key expires after 1 to {MAX_KEY_DAYS} days (or leave it empty: never)")
    return utcnow() + timedelta(days=int(days))


@router.post("/settings/keys/{key_id}/revoke")
def revoke(key_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.ADMIN)
    q.revoke_key(session, user.workspace_id, key_id, utcnow())
    return redirect("/settings#keys")


@router.post("/settings/routing")
def add_rule(
    user: CsrfUserDep,
    session: SessionDep,
    name: Annotated[str, Form()],
    queue: Annotated[str, Form()] = "",
    priority: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    if_category: Annotated[str, Form()] = "",
    if_language: Annotated[str, Form()] = "",
    if_priority: Annotated[str, Form()] = "",
    if_loyalty_tier: Annotated[str, Form()] = "",
    if_channel: Annotated[str, Form()] = "",
) -> Response:
    ensure(user, Permission.EDIT_RULES)
    given = {
        "category": if_category,
        "language": if_language,
        "priority": if_priority,
        "loyalty_tier": if_loyalty_tier,
        "channel": if_channel,
    }
    conditions = {field: value.strip() for field, value in given.items() if value.strip()}
    rule = RoutingRule(
        name.strip(), conditions, queue.strip() or None, priority or None, assignee.strip() or None
    )
    cases_repo.add_routing_rule(session, user.workspace_id, validate_rule(rule))
    return redirect("/settings#routing")


@router.post("/settings/routing/{rule_id}/toggle")
def toggle_rule(rule_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.EDIT_RULES)
    row = cases_repo.get_routing_rule(session, user.workspace_id, rule_id)
    row.enabled = not row.enabled
    return redirect("/settings#routing")


@router.post("/settings/routing/{rule_id}/delete")
def delete_rule(rule_id: int, user: CsrfUserDep, session: SessionDep) -> Response:
    ensure(user, Permission.EDIT_RULES)
    cases_repo.delete_routing_rule(session, user.workspace_id, rule_id)
    return redirect("/settings#routing")
