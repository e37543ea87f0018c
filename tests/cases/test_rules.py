"""Routing rules, suggested priority and SLA clocks: pure logic."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from parallax.cases.priority import PrioritySignals, suggest_priority
from parallax.cases.routing import CaseFacts, RoutingRule, route, validate_rule
from parallax.cases.sla import at_risk, first_due, resolution_due, sla_state
from parallax.kit.errors import ValidationFailed

RULES = [
    RoutingRule("off", {"channel": "twitter"}, queue="never", enabled=False),
    RoutingRule("spanish", {"language": "es"}, queue="es-team"),
    RoutingRule(
        "vip bags", {"loyalty_tier": "gold, platinum", "category": "baggage"}, queue="vip", priority="urgent"
    ),
    RoutingRule("urgent", {"priority": "urgent"}, assignee="duty-manager"),
    RoutingRule("social", {"channel": "twitter,facebook"}, queue="social"),
]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (CaseFacts(language="es", channel="twitter"), ("spanish", "es-team")),
        (CaseFacts(category="baggage", loyalty_tier="Platinum"), ("vip bags", "vip")),
        (CaseFacts(category="baggage", loyalty_tier="silver", priority="urgent"), ("urgent", None)),
        (CaseFacts(channel="facebook"), ("social", "social")),
        (CaseFacts(channel="email"), None),
    ],
)
def test_first_enabled_matching_rule_wins(facts: CaseFacts, expected: tuple[str, str | None] | None) -> None:
    decision = route(facts, RULES)
    assert (None if decision is None else (decision.rule, decision.queue)) == expected


def test_invalid_rules_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="unknown routing field"):
        validate_rule(RoutingRule("x", {"colour": "red"}, queue="q"))
    with pytest.raises(ValidationFailed, match="priority"):
        validate_rule(RoutingRule("x", {}, priority="asap"))
    with pytest.raises(ValidationFailed, match="must set"):
        validate_rule(RoutingRule("x", {"language": "en"}))


def test_priority_steps_up_per_signal_and_caps_at_urgent() -> None:
    assert suggest_priority(PrioritySignals(loyalty_tier="silver", sentiment=0.2)) == "normal"
    assert suggest_priority(PrioritySignals(loyalty_tier="gold")) == "high"
    assert suggest_priority(PrioritySignals(sentiment=-0.9, repeat_contacts=3)) == "urgent"
    assert suggest_priority(PrioritySignals("gold", -0.9, 5, True)) == "urgent"


def test_sla_clock_states() -> None:
    opened = datetime(2026, 1, 1, 9)
    due = first_due(opened, "normal")
    assert due == opened + timedelta(hours=24)
    running = sla_state(due, responded=False, now=opened + timedelta(hours=20))
    assert not running.breached and running.label == "first response due in 4h00m"
    assert at_risk(running, "normal")
    late = sla_state(due, responded=False, now=opened + timedelta(hours=25, minutes=5))
    assert late.breached and late.label == "first response overdue by 1h05m"
    assert resolution_due(opened, "urgent", timedelta(hours=2)) == opened + timedelta(hours=10)
    assert not sla_state(due, True, opened, open_case=False).breached
