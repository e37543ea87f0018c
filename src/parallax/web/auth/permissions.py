"""Roles and what each may do. One table, checked on every route through ``require``.

>>> allowed("agent", Permission.REPLY), allowed("viewer", Permission.REPLY)
(True, False)
>>> allowed("analyst", Permission.SEE_PII)
False
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"  # dashboards, live feed, customers (redacted)
    DRILL = "drill"  # the interactions behind a number
    SEE_PII = "see_pii"  # unredacted text and identifiers
    WORK_CASES = "work_cases"  # assign, status, priority, notes
    REPLY = "reply"  # send a message to a customer
    EDIT_RULES = "edit_rules"  # routing and alert rules, taxonomy
    ADMIN = "admin"  # users, API keys, workspaces


ROLES: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "analyst": frozenset({Permission.VIEW, Permission.DRILL, Permission.EDIT_RULES}),
    # Agents answer customers, so they see the contact details they answer to.
    "agent": frozenset(
        {Permission.VIEW, Permission.DRILL, Permission.SEE_PII, Permission.WORK_CASES, Permission.REPLY}
    ),
    "viewer": frozenset({Permission.VIEW}),
}


def allowed(role: str, permission: Permission) -> bool:
    """Unknown roles may do nothing."""
    return permission in ROLES.get(role, frozenset())
