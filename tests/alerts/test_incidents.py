"""Grouping, cool-down, severity, rules and routing: exact outcomes on small hand-made cases."""

from __future__ import annotations

import doctest
import importlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts.context import SpikeContext
from parallax.alerts.engine import Outcome, SpikeEngine
from parallax.alerts.escalation import route_alert
from parallax.alerts.events import SeriesKey, SignalEvent
from parallax.alerts.incidents import About, IncidentGrouper, severity
from parallax.alerts.monitor import Observation
from parallax.alerts.rules import Signal, SpikeRule, ThresholdRule
from parallax.alerts.service import record
from parallax.store.models import Alert

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


def _event(n: int, at: datetime, sentiment: str, topic: str, airport: str) -> SignalEvent:
    return SignalEvent("acme", "t", str(n), at, "twitter", sentiment, topic, {"airport": airport}, text=topic)


def _two_spikes() -> list[SignalEvent]:
    """Six quiet hours, 40 baggage complaints at LHR in four minutes, then 60 cancellations at MAD half an
    hour later (the issue's case), then quiet again."""
    quiet = [_event(k, T + timedelta(minutes=5 * k), "neutral", "other", "LHR") for k in range(72)]
    lhr_at, mad_at = T + timedelta(hours=6), T + timedelta(hours=6, minutes=30)
    lhr = [
        _event(100 + k, lhr_at + timedelta(seconds=6 * k), "negative", "baggage", "LHR") for k in range(40)
    ]
    mad = [
        _event(200 + k, mad_at + timedelta(seconds=4 * k), "negative", "cancellations", "MAD")
        for k in range(60)
    ]
    after = [
        _event(300 + k, mad_at + timedelta(minutes=5 * (k + 1)), "neutral", "other", "LHR") for k in range(24)
    ]
    return quiet + lhr + mad + after


def test_spikes_of_other_topics_and_places_stay_apart() -> None:
    """Every signal of the MAD spike (the overall negative volume too) joins the MAD incident, never the
    open LHR baggage one; two new alerts in all."""
    engine = SpikeEngine()
    outcomes = [o for e in _two_spikes() for o in engine.process(e)]
    places: dict[int, set[str]] = {}
    for o in outcomes:
        places.setdefault(o.decision.incident.ref, set()).add(o.trigger.segments["airport"])
    assert sorted(places.values(), key=sorted) == [{"LHR"}, {"MAD"}]
    assert sum(o.decision.is_new for o in outcomes) == 2


def test_the_grouper_matches_topic_and_place() -> None:
    grouper = IncidentGrouper(cooldown=timedelta(hours=1))
    lhr = grouper.offer("acme", _signal("topic:delay|airport:LHR")).incident
    assert grouper.offer("acme", _signal("topic:delay|route:LHR-JFK")).incident is lhr  # a route from LHR
    assert grouper.offer("acme", _signal("topic:delay|route:MAD-FCO")).is_new  # same topic, elsewhere
    assert grouper.offer("acme", _signal("topic:baggage|airport:LHR")).is_new  # same place, other topic
    # a key that does not say where: its events do (MAD cancellations), and nothing open is about them
    mad = About("cancellations", frozenset({"airport:MAD"}))
    overall = grouper.offer("acme", _signal("negative", T + timedelta(minutes=5)), lambda: mad)
    assert overall.is_new and overall.incident.topic == "cancellations"
    assert overall.incident.places == {"airport:MAD"}
    # events that share no topic or place are unknown: they join the first incident, as before
    assert grouper.offer("acme", _signal("negative"), lambda: About()).incident is lhr
    assert About.of((("delay", 6), ("baggage", 4)), (("airport:LHR", 7), ("flight:PX1", 9)), 10) == About(
        "delay", frozenset({"airport:LHR"})
    )


def test_a_rename_rewrites_title_and_detail_together(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    """A more specific signal of the same incident renames its alert; the detail then describes what the
    title says (the issue: the title said MAD while the detail still described LHR)."""
    grouper = IncidentGrouper()
    broad = _signal("topic:baggage", count=20)
    narrow = _signal("topic:baggage|route:LHR-JFK", T + timedelta(minutes=5), count=30)
    contexts = (
        SpikeContext(
            (("baggage", 20),), (("airport:LHR", 12), ("airport:AMS", 8)), ("bag lost",), 20, 0.5, 0.1
        ),
        SpikeContext(
            (("baggage", 30),), (("route:LHR-JFK", 30), ("airport:LHR", 30)), ("bag lost",), 30, 0.5, 0.1
        ),
    )
    with session_factory() as session:
        for signal, context in zip((broad, narrow), contexts, strict=True):
            outcome = Outcome(
                signal, grouper.offer(workspace, signal), context, _event(1, T, "negative", "baggage", "LHR")
            )
            recorded = record(session, outcome)
        alert = session.get(Alert, recorded.alert_id)
        assert alert is not None and not recorded.is_new
        assert alert.title == "Spike in baggage complaints (LHR-JFK, LHR)"
        assert alert.detail["lead_key"] == "topic:baggage|route:LHR-JFK"
        assert alert.detail["top_entities"] == [["route:LHR-JFK", 30], ["airport:LHR", 30]]
        assert alert.detail["count"] == 30


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
