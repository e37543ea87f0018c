"""A workspace's alert rules: validated once, stored per workspace, applied by the engine to it alone."""

from __future__ import annotations

import doctest
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from parallax.alerts import rule_settings
from parallax.alerts.engine import SpikeEngine
from parallax.alerts.events import SignalEvent
from parallax.alerts.rule_settings import DEFAULT_SPIKE, load_rules, parse_rules, rules_value, save_rules
from parallax.alerts.rules import SpikeRule, ThresholdRule
from parallax.kit.errors import ValidationFailed


def test_examples_run() -> None:
    failures, tried = doctest.testmod(rule_settings)
    assert tried > 0 and failures == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"spike": {"min_count": "many"}}, "spike.min_count: 'many' is not a number"),
        ({"spike": {"min_score": 0.5}}, "spike.min_score: 0.5 is outside 0.9-0.999999"),
        ({"thresholds": [{"name": "x", "key": "Topic baggage", "limit": 3}]}, "thresholds[0].key"),
        ({"thresholds": [{"name": "x", "key": "topic:bags", "limit": 0}]}, "thresholds[0].limit: must be"),
        ({"thresholds": [{"name": "", "key": "topic:bags", "limit": 3}]}, "thresholds[0].name"),
        (
            {
                "thresholds": [
                    {"name": "x", "key": "topic:a", "limit": 3},
                    {"name": "x", "key": "topic:b", "limit": 4},
                ]
            },
            "thresholds[1].name: 'x' is used twice",
        ),
    ],
)
def test_bad_values_name_the_field(value: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_rules(value)


def test_segment_keys_are_accepted() -> None:
    rules = parse_rules({"thresholds": [{"name": "lhr", "key": "topic:delay|airport:LHR", "limit": 9}]})
    assert rules[1] == ThresholdRule("lhr", "topic:delay|airport:lhr", 9)


def test_value_round_trips() -> None:
    rules = (
        SpikeRule(min_count=30, min_evidence=5.0, min_score=0.9995),
        ThresholdRule("bags", "topic:baggage", 40),
    )
    assert parse_rules(rules_value(rules)) == rules
    assert parse_rules(rules_value((ThresholdRule("bags", "topic:baggage", 40),))) == (
        ThresholdRule("bags", "topic:baggage", 40),
    )


def test_rules_are_stored_per_workspace(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        assert load_rules(session, workspace) == (DEFAULT_SPIKE,)
        save_rules(session, workspace, {"spike": {"min_count": 50}, "thresholds": []}, "analyst@acme.test")
        session.commit()
    with session_factory() as session:
        assert load_rules(session, workspace) == (SpikeRule(min_count=50),)
        assert load_rules(session, "other") == (DEFAULT_SPIKE,)
        with pytest.raises(ValidationFailed):
            save_rules(session, workspace, {"spike": {"min_count": -1}}, "x")
        session.rollback()
        assert load_rules(session, workspace) == (SpikeRule(min_count=50),)


def _event(workspace: str, k: int, at: datetime) -> SignalEvent:
    return SignalEvent(workspace, "test", f"{k}", at, "twitter", "negative", category="baggage")


def test_engine_applies_each_workspace_its_own_rules() -> None:
    engine = SpikeEngine(rules=())  # by default nothing fires
    engine.set_rules("acme", (ThresholdRule("bags", "topic:baggage", 5),))
    start = datetime(2026, 3, 1, 10, 0)
    events = [_event(ws, k, start + timedelta(seconds=k)) for ws in ("acme", "other") for k in range(8)]
    outcomes = engine.process_batch(events)
    fired = {(o.trigger.workspace_id, o.signal.rule) for o in outcomes}
    assert fired == {("acme", "bags")}
    restored = SpikeEngine.restore(engine.checkpoint())
    assert restored.rules_for("acme") == (ThresholdRule("bags", "topic:baggage", 5),)
    assert restored.rules_for("other") == ()
