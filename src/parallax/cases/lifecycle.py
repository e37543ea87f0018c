"""The case lifecycle as one transition table: a ``match (previous, current):`` branch per allowed move.

    new ──► open ──► pending ──► open
     │        │         │
     │        └──► resolved ◄──┘
     │               │   │
     └──► closed ◄───┘   └──► open (reopened)
            │
            └──► open (reopened)

Example:
    >>> transition("open", "pending").pause_sla
    True
    >>> transition("closed", "new")
    Traceback (most recent call last):
    ...
    parallax.kit.errors.Conflict: a case cannot go from closed to new; allowed from closed: open
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.kit.errors import Conflict, ValidationFailed

STATUSES = ("new", "open", "pending", "resolved", "closed")
OPEN_STATUSES = frozenset({"new", "open", "pending"})


@dataclass(frozen=True)
class Effect:
    """What a transition does beyond setting the status; the service applies it."""

    pause_sla: bool = False  # waiting on the customer: the SLA clock stops
    resume_sla: bool = False
    stamp_resolved: bool = False
    stamp_closed: bool = False
    reopen: bool = False  # clears resolved/closed stamps and counts a reopening
    needs_reason: bool = False  # closing a case nobody worked (spam, duplicate) must say why


def transition(previous: str, current: str) -> Effect:
    """The effect of moving a case from ``previous`` to ``current``; Conflict when the move is not allowed."""
    for status in (previous, current):
        if status not in STATUSES:
            raise ValidationFailed(f"unknown case status {status!r}; one of {', '.join(STATUSES)}")
    effect = _effect(previous, current)
    if effect is None:
        options = ", ".join(allowed_from(previous)) or "none"
        raise Conflict(f"a case cannot go from {previous} to {current}; allowed from {previous}: {options}")
    return effect


def _effect(previous: str, current: str) -> Effect | None:
    """The table itself: one branch per allowed move, None for every other pair."""
    match (previous, current):
        case ("new", "open"):
            return Effect()
        case ("new", "closed"):
            return Effect(stamp_closed=True, needs_reason=True)
        case ("open", "pending"):
            return Effect(pause_sla=True)
        case ("pending", "open"):
            return Effect(resume_sla=True)
        case ("open", "resolved"):
            return Effect(stamp_resolved=True)
        case ("pending", "resolved"):
            return Effect(resume_sla=True, stamp_resolved=True)
        case ("resolved", "closed"):
            return Effect(stamp_closed=True)
        case ("resolved", "open") | ("closed", "open"):
            return Effect(reopen=True)
        case _:
            return None


def allowed_from(previous: str) -> list[str]:
    """The statuses reachable from ``previous`` (what the status menu offers)."""
    return [current for current in STATUSES if _effect(previous, current) is not None]
