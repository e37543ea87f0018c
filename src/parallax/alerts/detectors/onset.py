"""One time scale of the spike detector: robust evidence of an onset, calibrated to the key's own past.

``span`` is the time scale: the detector judges the sum of the last ``span`` observations, so ``span=1``
sees a five-minute burst and ``span=12`` (at five-minute steps) a surge that lasts an hour but is never
extreme in any single bucket. Sums of Poisson counts are Poisson, so the same Anscombe-scale baselines serve
every span.

Four ideas, each with one argument:

1. *Several baselines* (``windows`` in steps, plus the same hour of past days when ``seasonal``): the mean of
   their robust z-scores is high only when the value is unusual against the last day and week and against the
   usual level for that hour. One baseline alone is fooled by slow drifts or by daily cycles. There is no
   one-hour baseline: it absorbs a surge within minutes, so a burst that builds up over half an hour never
   looks unusual against it.
2. *Onset emphasis* (``suppress`` steps, ``memory``): the evidence is how far the z-score rises above
   ``memory`` times its highest value over the previous ``suppress`` steps, so one incident produces one high
   score at its start and not one per step while it lasts, while a clear second surge on top of the first
   (more than ``1 / memory`` times the earlier peak) still counts. Consecutive sums share ``span - 1``
   observations, so a longer span keeps ``memory ** (1 / span)`` of the peak: the same memory per new one.
3. *Calibration* to the detector's own past: the output is the empirical CDF of the evidence over everything
   this key has seen (a fixed log-spaced histogram, so the state stays small), so 0.999 means "rarer than
   999 in 1000 past steps" for a busy key and a quiet key alike; one threshold then serves all.
4. *A volume floor* (``min_total``): a sum of fewer events than that carries no evidence, however rare
   (two complaints where there are usually none are not an incident); 0 for series that are not counts.

Example:
    >>> from datetime import datetime, timedelta
    >>> d = OnsetDetector(span=3, windows=(48,), seasonal=False)
    >>> t0 = datetime(2026, 1, 1)
    >>> xs = [10.0, 12.0] * 60 + [30.0, 30.0, 30.0] + [10.0] * 10  # scored highest where the surge starts
    >>> scores = [d.update(x, t0 + timedelta(minutes=5 * i)) for i, x in enumerate(xs)]
    >>> max(range(len(scores)), key=scores.__getitem__)
    120
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

import numpy as np

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.robust import SeasonalZ, WindowZ

# Log-spaced bins for the evidence (a z-score): 0.01 to 1000 covers every value that matters.
EDGES = np.geomspace(0.01, 1000.0, 241)


class OnsetDetector(Detector):
    """Calibrated onset evidence of the sum of the last ``span`` observations; scores in [0, 1]."""

    def __init__(
        self,
        span: int = 1,
        windows: tuple[int, ...] = (288, 2016),
        seasonal: bool = True,
        suppress: int = 36,
        memory: float = 0.75,
        min_history: int = 12,
        min_total: float = 0.0,
    ) -> None:
        if span < 1:
            raise ValueError("span is at least 1")
        self.span = span
        self.windows = tuple(windows)
        self.seasonal = seasonal
        self.suppress = suppress
        self.memory = memory
        self.min_history = min_history
        self.min_total = min_total
        super().__init__()

    def _reset(self) -> None:
        # Consecutive sums share ``span - 1`` observations, so the peak is forgotten per new observation.
        self._memory = self.memory ** (1.0 / self.span)
        self._members: list[Detector] = [WindowZ(w, self.min_history) for w in self.windows]
        if self.seasonal:
            self._members.append(SeasonalZ("day", cycles=7, min_history=self.min_history))
        self._before: deque[float] = deque(maxlen=self.span - 1)  # the observations the sum also covers
        self._recent: deque[float] = deque(maxlen=max(self.suppress, 1))
        self._counts = np.zeros(len(EDGES) + 1)
        self._seen = 0
        self._last_evidence = 0.0

    @property
    def seen(self) -> int:
        return self._seen

    @property
    def last_evidence(self) -> float:
        """The onset evidence (in robust standard deviations) of the last observation learned."""
        return self._last_evidence

    def baseline(self) -> float:
        """The usual value of one observation: the longest window's median of the sums, per step."""
        windows = [m for m in self._members if isinstance(m, WindowZ)]
        return windows[-1].median() / self.span if windows else 0.0

    def _z(self, total: float, t: datetime) -> float:
        """Mean z over the members that have enough history to judge (0 while none has)."""
        zs = [m.score_one(total, t) for m in self._members if m.ready(t)]
        return max(0.0, sum(zs) / len(zs)) if zs else 0.0

    def _evidence(self, z: float, total: float) -> float:
        if total < self.min_total:
            return 0.0
        peak = max(self._recent) if self._recent and self.suppress > 0 else 0.0
        return max(0.0, z - self._memory * peak)

    def _calibrate(self, evidence: float) -> float:
        if self._seen == 0 or evidence <= 0.0:
            return 0.0
        index = int(np.searchsorted(EDGES, evidence, side="right"))
        below = float(self._counts[:index].sum())
        # Within the top of the range, the magnitude still orders scores: no two new records tie at 1.
        tie_break = evidence / (1.0 + evidence)
        return min(1.0, (below + tie_break) / (self._seen + 1))

    def assess(self, x: float, t: datetime) -> tuple[float, float]:
        """``(score, evidence)`` for ``x`` without learning it."""
        total = sum(self._before) + x
        evidence = self._evidence(self._z(total, t), total)
        return self._calibrate(evidence), evidence

    def score_one(self, x: float, t: datetime) -> float:
        return self.assess(x, t)[0]

    def learn_one(self, x: float, t: datetime) -> None:
        self.update(x, t)

    def update(self, x: float, t: datetime) -> float:
        """Score then learn, computing the member z-scores once (the streaming hot path)."""
        total = sum(self._before) + x
        z = self._z(total, t)
        evidence = self._evidence(z, total)
        score = self._calibrate(evidence)
        for member in self._members:
            member.learn_one(total, t)
        if self.span > 1:
            self._before.append(x)
        self._recent.append(z)
        self._counts[int(np.searchsorted(EDGES, evidence, side="right"))] += 1
        self._seen += 1
        self._last_evidence = evidence
        return score

    def learn_zeros(self, n: int, start: datetime, step: timedelta) -> None:
        """Zeros in bulk, exactly as ``update(0.0, ...)`` n times. Once the sum's window holds only zeros,
        a 0 scores z = 0 against every baseline (0 is the smallest count), so its evidence is 0: each such
        step adds a 0 to the peaks and to the histogram's first bin, and the members take zeros in bulk."""
        exact = min(n, self.span + 1)
        super().learn_zeros(exact, start, step)  # one at a time while the sum's window still holds counts
        rest = n - exact
        if rest <= 0:
            return
        first = start + exact * step
        for member in self._members:
            member.learn_zeros(rest, first, step)
        if self.span > 1:
            self._before.extend([0.0] * min(rest, self.span - 1))
        self._recent.extend([0.0] * min(rest, self._recent.maxlen or rest))
        self._counts[0] += rest  # evidence 0 falls in the bin below the first edge
        self._seen += rest
        self._last_evidence = 0.0
