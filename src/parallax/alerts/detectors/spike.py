"""The spike detector: an ensemble of robust z-scores, onset emphasis, and calibration to its own history.

Three ideas, each with one argument:

1. *Several baselines* (``windows`` in steps, plus the same hour of past days when ``seasonal``): the mean of
   their robust z-scores is high only when the value is unusual against the last hour, day and week and
   against the usual level for that hour. One baseline alone is fooled by slow drifts or by daily cycles.
2. *Onset emphasis* (``suppress`` steps): what is scored is how far the evidence rises above its highest
   value over the previous ``suppress`` steps, so one incident produces one high score at its start and not
   one per step while it lasts (an alert that repeats every 5 minutes is noise to whoever receives it).
3. *Calibration* to the detector's own past: the output is the empirical CDF of the evidence over
   everything this key has seen (a fixed log-spaced histogram, so the state stays small), so 0.999 means
   "rarer than 999 in 1000 past steps" for a busy key and a quiet key alike; one threshold then serves all.

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

from collections import deque
from datetime import datetime, timedelta

import numpy as np

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.robust import SeasonalZ, WindowZ

# Log-spaced bins for the evidence (a z-score): 0.01 to 1000 covers every value that matters.
_EDGES = np.geomspace(0.01, 1000.0, 241)


class SpikeDetector(Detector):
    """Online spike detector for one count series; ``update(x, t)`` returns a score in [0, 1]."""

    def __init__(
        self,
        windows: tuple[int, ...] = (12, 288, 2016),
        seasonal: bool = True,
        suppress: int = 36,
        min_history: int = 12,
    ) -> None:
        self.windows = tuple(windows)
        self.seasonal = seasonal
        self.suppress = suppress
        self.min_history = min_history
        super().__init__()

    @classmethod
    def for_step(cls, step: timedelta) -> SpikeDetector:
        """The default design (baselines of an hour, a day and a week; 3 hours of onset emphasis) in steps.

        Windows shorter than 6 steps are lengthened to 6: a median of fewer points is not robust.
        """
        per_hour = timedelta(hours=1) / step
        windows = tuple(max(6, round(h * per_hour)) for h in (1, 24, 168))
        return cls(windows=windows, suppress=max(1, round(3 * per_hour)), min_history=min(12, windows[0]))

    def _reset(self) -> None:
        self._members: list[Detector] = [WindowZ(w, self.min_history) for w in self.windows]
        if self.seasonal:
            self._members.append(SeasonalZ("day", cycles=7, min_history=self.min_history))
        self._recent: deque[float] = deque(maxlen=max(self.suppress, 1))
        self._counts = np.zeros(len(_EDGES) + 1)
        self._seen = 0
        self._last_evidence = 0.0

    @property
    def seen(self) -> int:
        """How many observations this detector has learned."""
        return self._seen

    def baseline(self) -> float:
        """The usual value: the median of the longest window member (0 before any history)."""
        windows = [m for m in self._members if isinstance(m, WindowZ)]
        return windows[-1].median() if windows else 0.0

    @property
    def last_evidence(self) -> float:
        """The onset evidence (in robust standard deviations) of the last observation learned."""
        return self._last_evidence

    def _z(self, x: float, t: datetime) -> float:
        """Mean z over the members that have enough history to judge (0 while none has)."""
        zs = [m.score_one(x, t) for m in self._members if m.ready(t)]
        return max(0.0, sum(zs) / len(zs)) if zs else 0.0

    def evidence(self, x: float, t: datetime) -> float:
        """The onset evidence for ``x``: mean positive z above the recent peak (0 when nothing new)."""
        z = self._z(x, t)
        peak = max(self._recent) if self._recent and self.suppress > 0 else 0.0
        return max(0.0, z - peak)

    def _calibrate(self, evidence: float) -> float:
        if self._seen == 0 or evidence <= 0.0:
            return 0.0
        index = int(np.searchsorted(_EDGES, evidence, side="right"))
        below = float(self._counts[:index].sum())
        # Within the top of the range, the magnitude still orders scores: no two new records tie at 1.
        tie_break = evidence / (1.0 + evidence)
        return min(1.0, (below + tie_break) / (self._seen + 1))

    def score_one(self, x: float, t: datetime) -> float:
        return self._calibrate(self.evidence(x, t))

    def assess(self, x: float, t: datetime) -> tuple[float, float]:
        """``(score, evidence)`` for ``x`` without learning it: what a rule needs, computed once."""
        evidence = self.evidence(x, t)
        return self._calibrate(evidence), evidence

    def learn_one(self, x: float, t: datetime) -> None:
        z = self._z(x, t)
        evidence = max(0.0, z - (max(self._recent) if self._recent and self.suppress > 0 else 0.0))
        for member in self._members:
            member.learn_one(x, t)
        self._recent.append(z)
        self._counts[int(np.searchsorted(_EDGES, evidence, side="right"))] += 1
        self._seen += 1
        self._last_evidence = evidence

    def update(self, x: float, t: datetime) -> float:
        """Score then learn, computing the member z-scores once (the streaming hot path)."""
        z = self._z(x, t)
        evidence = max(0.0, z - (max(self._recent) if self._recent and self.suppress > 0 else 0.0))
        score = self._calibrate(evidence)
        for member in self._members:
            member.learn_one(x, t)
        self._recent.append(z)
        self._counts[int(np.searchsorted(_EDGES, evidence, side="right"))] += 1
        self._seen += 1
        self._last_evidence = evidence
        return score
