"""The spike detector: calibrated onset evidence at two time scales, the higher of the two.

Each scale is an :class:`~parallax.alerts.detectors.onset.OnsetDetector` (robust baselines of a day, a week
and the same hour of past days; onset emphasis; calibration to the key's own past), judging the sum of the
last ``span`` observations. Bursts on tweet and complaint volume come in two shapes: a five-minute burst
that is extreme in one bucket, and a surge that builds up over the best part of an hour, never extreme in
any one bucket but unmistakable in their sum. One scale sees each; as both are calibrated (0.999 means
"rarer than 999 in 1000 past steps at this scale"), the higher of the two is a fair single score.

Example:
    >>> from datetime import datetime, timedelta
    >>> import random
    >>> rng = random.Random(7)
    >>> d = SpikeDetector(windows=(12, 288), seasonal=False)
    >>> t0 = datetime(2026, 1, 1)
    >>> xs = [rng.gauss(100, 5) for _ in range(600)] + [400] + [rng.gauss(100, 5) for _ in range(50)]
    >>> scores = [d.update(x, t0 + timedelta(minutes=5 * i)) for i, x in enumerate(xs)]
    >>> max(range(len(scores)), key=scores.__getitem__)
    600
"""

from __future__ import annotations

from datetime import datetime, timedelta

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.onset import OnsetDetector


class SpikeDetector(Detector):
    """Online spike detector for one count series; ``update(x, t)`` returns a score in [0, 1]."""

    def __init__(
        self,
        windows: tuple[int, ...] = (288, 2016),
        seasonal: bool = True,
        suppress: int = 36,
        min_history: int = 12,
        spans: tuple[int, ...] = (1, 12),
        memory: float = 0.75,
        min_total: float = 0.0,
    ) -> None:
        self.windows = tuple(windows)
        self.seasonal = seasonal
        self.suppress = suppress
        self.min_history = min_history
        self.spans = tuple(spans)
        self.memory = memory
        self.min_total = min_total
        super().__init__()

    @classmethod
    def for_step(cls, step: timedelta, min_total: float = 10.0) -> SpikeDetector:
        """The default design for event counts in buckets of ``step``.

        Baselines of a day and a week, scales of one step and one hour, 3 hours of onset emphasis, and no
        evidence from fewer than ``min_total`` events at any scale. Windows shorter than 6 steps are
        lengthened to 6 (a median of fewer points is not robust).
        """
        per_hour = timedelta(hours=1) / step
        windows = tuple(max(6, round(h * per_hour)) for h in (24, 168))
        spans = tuple(sorted({1, max(1, round(per_hour))}))
        return cls(windows=windows, suppress=max(1, round(3 * per_hour)), spans=spans, min_total=min_total)

    def _reset(self) -> None:
        self._scales = [OnsetDetector(span, *self._shared()) for span in self.spans]
        self._last_evidence = 0.0

    def _shared(self) -> tuple[tuple[int, ...], bool, int, float, int, float]:
        return self.windows, self.seasonal, self.suppress, self.memory, self.min_history, self.min_total

    @property
    def seen(self) -> int:
        """How many observations this detector has learned."""
        return self._scales[0].seen if self._scales else 0

    def baseline(self) -> float:
        """The usual value of one observation (0 before any history)."""
        return self._scales[0].baseline() if self._scales else 0.0

    @property
    def last_evidence(self) -> float:
        """The onset evidence (robust SDs) of the last observation learned, at the best-scoring scale."""
        return self._last_evidence

    def assess(self, x: float, t: datetime) -> tuple[float, float]:
        """``(score, evidence)`` for ``x`` without learning it: what a rule needs, computed once."""
        return max((scale.assess(x, t) for scale in self._scales), default=(0.0, 0.0))

    def score_one(self, x: float, t: datetime) -> float:
        return self.assess(x, t)[0]

    def learn_one(self, x: float, t: datetime) -> None:
        self.update(x, t)

    def update(self, x: float, t: datetime) -> float:
        """Score then learn: the streaming step (each scale computes its z-scores once)."""
        best = (0.0, 0.0)
        for scale in self._scales:
            best = max(best, (scale.update(x, t), scale.last_evidence))
        self._last_evidence = best[1]
        return best[0]

    def learn_zeros(self, n: int, start: datetime, step: timedelta) -> None:
        """A silent stretch of ``n`` steps, at a cost bounded by the detector's memory (a jump of years costs
        what a week does). The same state as ``learn_one(0.0, ...)`` n times."""
        if n <= max(self.spans, default=1) + 1:
            super().learn_zeros(n, start, step)
            return
        for scale in self._scales:
            scale.learn_zeros(n, start, step)
        self._last_evidence = 0.0  # the last step is a zero with nothing before it: no evidence
