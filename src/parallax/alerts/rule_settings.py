"""A workspace's alert rules as an editable setting: the spike rule's bars and fixed threshold lines.

Stored as JSON in ``workspace_setting`` (name ``alert_rules``); read by the stream worker, which hands each
workspace its own rules (``SpikeEngine.set_rules``), and edited on the settings page. Values are validated
here, once, so a bad form can never reach the detectors.

Example:
    >>> bags = {"name": "bags", "key": "topic:baggage", "limit": 40}
    >>> rules = parse_rules({"spike": {"min_count": 25}, "thresholds": [bags]})
    >>> [type(r).__name__ for r in rules], rules[0].min_count, rules[1].limit
    (['SpikeRule', 'ThresholdRule'], 25, 40)
    >>> parse_rules({"spike": {"enabled": False}}) == ()
    True
"""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy.orm import Session

from parallax.alerts.rules import Rule, SpikeRule, ThresholdRule
from parallax.kit.errors import ValidationFailed
from parallax.store.settings import get_setting, put_setting, settings_named

SETTING = "alert_rules"
KEY_PATTERN = re.compile(r"^[a-z_]+(:[\w./@-]+)?(\|[a-z_]+:[\w./@-]+)*$")  # topic:delay|route:LHR-JFK
DEFAULT_SPIKE = SpikeRule()
# Bounds that keep an edited rule meaningful: below them every wobble alerts, above them nothing ever does.
SPIKE_BOUNDS: dict[str, tuple[float, float]] = {
    "min_score": (0.9, 0.999999),
    "min_evidence": (1.0, 50.0),
    "min_count": (1, 100_000),
}


def parse_rules(value: dict[str, Any]) -> tuple[Rule, ...]:
    """The rules a stored (or submitted) setting describes; raises ``ValidationFailed`` naming the field."""
    spike = value.get("spike") or {}
    rules: list[Rule] = []
    if spike.get("enabled", True):
        rules.append(_spike(spike))
    names: set[str] = set()
    for k, threshold in enumerate(value.get("thresholds") or []):
        rule = _threshold(threshold, k)
        if rule.name in names or rule.name == DEFAULT_SPIKE.name:
            raise ValidationFailed(f"thresholds[{k}].name: {rule.name!r} is used twice")
        names.add(rule.name)
        rules.append(rule)
    return tuple(rules)


def _spike(spike: dict[str, Any]) -> SpikeRule:
    values: dict[str, Any] = {}
    for name, (low, high) in SPIKE_BOUNDS.items():
        raw = spike.get(name, getattr(DEFAULT_SPIKE, name))
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ValidationFailed(f"spike.{name}: {raw!r} is not a number") from None
        if not low <= number <= high:
            raise ValidationFailed(f"spike.{name}: {number:g} is outside {low:g}-{high:g}")
        values[name] = int(number) if name == "min_count" else number
    return SpikeRule(**values)


def _threshold(threshold: dict[str, Any], k: int) -> ThresholdRule:
    name = str(threshold.get("name", "")).strip()
    key = str(threshold.get("key", "")).strip().lower()
    if not 1 <= len(name) <= 60:
        raise ValidationFailed(f"thresholds[{k}].name: give 1-60 characters")
    if not KEY_PATTERN.match(key):
        raise ValidationFailed(f"thresholds[{k}].key: {key!r} is not a key like topic:delay|route:LHR-JFK")
    try:
        limit = int(threshold.get("limit", 0))
    except (TypeError, ValueError):
        raise ValidationFailed(f"thresholds[{k}].limit: not a whole number") from None
    if limit < 1:
        raise ValidationFailed(f"thresholds[{k}].limit: must be at least 1")
    return ThresholdRule(name, key, limit)


def rules_value(rules: tuple[Rule, ...]) -> dict[str, Any]:
    """The JSON form of ``rules`` (the inverse of ``parse_rules``)."""
    spikes = [r for r in rules if isinstance(r, SpikeRule)]
    shown = spikes[0] if spikes else DEFAULT_SPIKE  # a disabled rule keeps showing the default bars
    spike = {f.name: getattr(shown, f.name) for f in fields(SpikeRule) if f.name in SPIKE_BOUNDS}
    return {
        "spike": {"enabled": bool(spikes), **spike},
        "thresholds": [asdict(r) for r in rules if isinstance(r, ThresholdRule)],
    }


def load_rules(session: Session, workspace_id: str) -> tuple[Rule, ...]:
    """The workspace's rules; the default spike rule where nobody has edited them."""
    value = get_setting(session, workspace_id, SETTING)
    return (DEFAULT_SPIKE,) if value is None else parse_rules(value)


def save_rules(session: Session, workspace_id: str, value: dict[str, Any], actor: str) -> tuple[Rule, ...]:
    """Validate and store; returns the rules now in force. Does not commit."""
    rules = parse_rules(value)
    put_setting(session, workspace_id, SETTING, rules_value(rules), actor)
    return rules


def all_workspace_rules(session: Session) -> dict[str, tuple[Rule, ...]]:
    """Every workspace that has edited its rules, with them (one small query: the stream polls this)."""
    out = {}
    for workspace_id, value in settings_named(session, SETTING).items():
        try:
            out[workspace_id] = parse_rules(value)
        except ValidationFailed:
            continue  # stored values were validated on save; an old or hand-edited row keeps the default
    return out
