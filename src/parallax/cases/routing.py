"""Routing rules: the first enabled rule whose conditions all hold sends a case to a queue, and may set its
priority or assignee. Conditions compare category, language, priority, loyalty tier and channel.

    >>> rules = [RoutingRule("gold", {"loyalty_tier": "gold"}, queue="vip", priority="high"),
    ...          RoutingRule("bags", {"category": "baggage"}, queue="baggage")]
    >>> route(CaseFacts(category="baggage", loyalty_tier="gold"), rules).queue
    'vip'
    >>> route(CaseFacts(category="baggage"), rules).rule
    'bags'
    >>> route(CaseFacts(category="refund"), rules) is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from parallax.cases.sla import PRIORITIES
from parallax.kit.errors import ValidationFailed

FIELDS = ("category", "language", "priority", "loyalty_tier", "channel")


@dataclass(frozen=True)
class CaseFacts:
    """What routing may look at; filled from the case, its customer and its latest enrichment."""

    category: str | None = None
    language: str | None = None
    priority: str = "normal"
    loyalty_tier: str | None = None
    channel: str | None = None

    def get(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class RoutingRule:
    """``conditions`` maps a field to the values that match it (a string or comma-separated list)."""

    name: str
    conditions: Mapping[str, str] = field(default_factory=dict)
    queue: str | None = None
    priority: str | None = None
    assignee: str | None = None
    enabled: bool = True

    def matches(self, facts: CaseFacts) -> bool:
        for name, wanted in self.conditions.items():
            options = {v.strip().lower() for v in wanted.split(",") if v.strip()}
            value = (facts.get(name) or "").lower()
            if options and value not in options:
                return False
        return True


@dataclass(frozen=True)
class Decision:
    rule: str
    queue: str | None
    priority: str | None
    assignee: str | None


def validate_rule(rule: RoutingRule) -> RoutingRule:
    """Refuse rules that could never be applied as written."""
    unknown = set(rule.conditions) - set(FIELDS)
    if unknown:
        raise ValidationFailed(
            f"unknown routing field(s) {', '.join(sorted(unknown))}; use {', '.join(FIELDS)}"
        )
    if rule.priority is not None and rule.priority not in PRIORITIES:
        raise ValidationFailed(f"priority must be one of {', '.join(PRIORITIES)}")
    if not rule.name.strip():
        raise ValidationFailed("a routing rule needs a name")
    if not (rule.queue or rule.priority or rule.assignee):
        raise ValidationFailed("a routing rule must set a queue, a priority or an assignee")
    return rule


def route(facts: CaseFacts, rules: Sequence[RoutingRule]) -> Decision | None:
    """The decision of the first enabled matching rule, in order; None when no rule matches."""
    for rule in rules:
        if rule.enabled and rule.matches(facts):
            return Decision(rule.name, rule.queue, rule.priority, rule.assignee)
    return None
