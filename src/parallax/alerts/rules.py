"""Rules turn detector observations into signals: a spike rule on detector output, threshold rules on counts.

Example:
    >>> from datetime import datetime
    >>> from parallax.alerts.events import SeriesKey
    >>> from parallax.alerts.monitor import Observation
    >>> o = Observation(SeriesKey("topic:delay"), datetime(2026, 1, 1), 40, 0.9999, 6.0, 2000, 3.0)
    >>> SpikeRule().check(o).rule
    'spike'
    >>> ThresholdRule("delay-volume", "topic:delay", 100).check(o) is None
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parallax.alerts.events import SeriesKey
from parallax.alerts.monitor import Observation


@dataclass(frozen=True)
class Signal:
    """One rule firing on one key at one moment."""

    rule: str
    key: SeriesKey
    at: datetime
    count: int
    expected: float
    score: float
    evidence: float


@dataclass(frozen=True)
class SpikeRule:
    """Fires on an unusual onset: enough evidence, enough volume, and rare for this key.

    ``min_evidence`` (robust SDs above the recent peak) keeps small wobbles out; ``min_count`` keeps a key
    that usually sees 0 from alerting on 2; ``min_score`` is the calibrated rarity, applied once the key has
    the ``1 / (1 - min_score)`` buckets of history needed to estimate it.
    """

    name: str = "spike"
    min_score: float = 0.999
    min_evidence: float = 4.0
    min_count: int = 10
    prefixes: tuple[str, ...] = ("negative", "topic:", "sentiment:negative")  # complaint volume only

    def check(self, obs: Observation) -> Signal | None:
        if obs.count < self.min_count or obs.evidence < self.min_evidence:
            return None
        if not obs.key.name.startswith(self.prefixes):
            return None
        calibrated = obs.history >= 1.0 / (1.0 - self.min_score)
        if calibrated and obs.score < self.min_score:
            return None
        return Signal(self.name, obs.key, obs.bucket_start, obs.count, obs.expected, obs.score, obs.evidence)


@dataclass(frozen=True)
class ThresholdRule:
    """Fires when a key's count in one bucket reaches ``limit`` (a fixed line someone chose)."""

    name: str
    key: str
    limit: int

    def check(self, obs: Observation) -> Signal | None:
        if obs.key.name != self.key or obs.count < self.limit:
            return None
        return Signal(self.name, obs.key, obs.bucket_start, obs.count, obs.expected, obs.score, obs.evidence)


Rule = SpikeRule | ThresholdRule


def evaluate_rules(rules: tuple[Rule, ...], observations: list[Observation]) -> list[Signal]:
    return [signal for obs in observations for rule in rules if (signal := rule.check(obs)) is not None]
