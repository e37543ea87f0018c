"""Grouping, cool-down, severity, rules and routing: exact outcomes on small hand-made cases."""

from __future__ import annotations

import doctest
import importlib
from datetime import datetime, timedelta

import pytest

from parallax.alerts.escalation import route_alert
from parallax.alerts.events import SeriesKey
from parallax.alerts.incidents import IncidentGrouper, severity
from parallax.alerts.monitor import Observation
from parallax.alerts.rules import Signal, SpikeRule, ThresholdRule

T = datetime(2026, 3, 3, 15, 0)


def _signal(key: str, at: datetime = T, count: int = 40, expected: float = 3.0) -> Signal:
    return Signal("spike", SeriesKey(key), at, count, expected, 0.9999, 8.0)


def test_one_incident_per_topic_within_cooldown() -> None:
    grouper = IncidentGrouper(cooldown=timedelta(hours=1))
    first = grouper.offer("acme", _signal("topic:delay"))
    route = grouper.offer("acme", _signal("topic:delay|route:LHR-JFK", T + timedelta(minutes=5)))
    overall = grouper.offer("acme", _signal("negative", T + timedelta(minutes=10)))
    other_topic = grouper.offer("acme", _signal("topic:baggage", T + timedelta(minutes=10)))
    other_tenant = grouper.offer("other", _signal("topic:delay", T + timedelta(minutes=10)))
    assert [first.is_new, route.is_new, overall.is_new, other_topic.is_new, other_tenant.is_new] == [
        True,
        False,
        False,
        True,
        True,
    ]
    assert route.incident is first.incident and route.escalated  # a new key joined: worth re-notifying
    assert first.incident.keys == {"topic:delay", "topic:delay|route:LHR-JFK", "negative"}
    assert first.incident.lead is not None and first.incident.lead.key.name == "topic:delay|route:LHR-JFK"


def test_cooldown_counts_from_the_last_signal() -> None:
    grouper = IncidentGrouper(cooldown=timedelta(hours=1))
    grouper.offer("acme", _signal("topic:delay"))
    still = grouper.offer("acme", _signal("topic:delay", T + timedelta(minutes=50)))
    later = grouper.offer("acme", _signal("topic:delay", T + timedelta(minutes=100)))
    again = grouper.offer("acme", _signal("topic:delay", T + timedelta(minutes=161)))
    assert [still.is_new, later.is_new, again.is_new] == [False, False, True]


@pytest.mark.parametrize(
    ("ratio", "value", "public", "expected"),
    [
        (1.0, 0.0, 0.0, "low"),
        (4.0, 0.0, 0.0, "medium"),
        (4.0, 0.0, 0.8, "high"),
        (16.0, 0.5, 0.9, "critical"),
    ],
)
def test_severity_points(ratio: float, value: float, public: float, expected: str) -> None:
    assert severity(ratio, value, public) == expected


def _obs(key: str, count: int, evidence: float, score: float, history: int) -> Observation:
    return Observation(SeriesKey(key), T, count, score, evidence, history, 2.0)


def test_spike_rule_needs_volume_evidence_and_calibrated_rarity() -> None:
    rule = SpikeRule()
    assert rule.check(_obs("topic:delay", 40, 6.0, 0.5, 10)) is not None  # too little history to calibrate
    assert rule.check(_obs("topic:delay", 40, 6.0, 0.5, 5000)) is None  # calibrated: not rare enough
    assert rule.check(_obs("topic:delay", 40, 6.0, 0.9995, 5000)) is not None
    assert rule.check(_obs("topic:delay", 9, 6.0, 0.9995, 5000)) is None  # too few
    assert rule.check(_obs("topic:delay", 40, 3.9, 0.9995, 5000)) is None  # not enough evidence
    assert rule.check(_obs("sentiment:positive", 40, 6.0, 0.9995, 5000)) is None  # not a complaint key
    limit = ThresholdRule("lhr-cap", "topic:delay|airport:LHR", 100)
    assert limit.check(_obs("topic:delay|airport:LHR", 100, 0.0, 0.0, 0)) is not None
    assert limit.check(_obs("topic:delay|airport:LHR", 99, 0.0, 0.0, 0)) is None


def test_routing_rules() -> None:
    assert route_alert("topic:cancellation|airport:AMS") == "operations"
    assert route_alert("topic:baggage") == "baggage-services"
    assert route_alert("topic:refund") == "customer-relations"
    assert route_alert("sentiment:negative") == "cx-escalations"


@pytest.mark.parametrize(
    "module",
    [
        "parallax.alerts.nab",
        "parallax.alerts.series",
        "parallax.alerts.events",
        "parallax.alerts.monitor",
        "parallax.alerts.rules",
        "parallax.alerts.incidents",
        "parallax.alerts.engine",
        "parallax.alerts.escalation",
        "parallax.alerts.detectors.robust",
        "parallax.alerts.detectors.spike",
        "parallax.stream.synthetic",
        "parallax.kit.pickled",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failures == 0
