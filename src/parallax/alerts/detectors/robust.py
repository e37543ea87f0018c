"""Robust z-scores of counts: against a sliding window, and against the same hour of past days.

Counts are compared after Anscombe's transform ``2 * sqrt(x + 3/8)``, under which Poisson noise has unit
variance at every level: 1 -> 50 in five minutes is as alarming as it should be, 1,000 -> 1,100 is not.
Centre is the median and spread the interquartile range (scaled to a standard deviation), read off a sorted
window in O(log n), never below 1 (the Poisson noise itself), so a quiet series does not turn every 3 into
an anomaly while an overdispersed one (bursty tweets) is judged against its own wider spread.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from datetime import datetime, timedelta
from functools import lru_cache

from parallax.alerts.detectors.base import Detector

IQR_TO_SD = 1.0 / 1.349


def _quantile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


POISSON_SD = 1.0  # the standard deviation of Poisson noise on the Anscombe scale


def forward(x: float) -> float:
    """Anscombe's transform: Poisson counts get unit variance at any level."""
    return 2.0 * math.sqrt(max(x, 0.0) + 0.375)


def inverse(v: float) -> float:
    return max((v / 2.0) ** 2 - 0.375, 0.0)


def robust_z(x: float, ordered: list[float]) -> float:
    """How many robust SDs ``x`` sits above the median of ``ordered`` (sorted, transformed values)."""
    median, spread = _centre_spread(ordered)
    return (forward(x) - median) / spread


def _centre_spread(ordered: list[float]) -> tuple[float, float]:
    median = _quantile(ordered, 0.5)
    spread = IQR_TO_SD * (_quantile(ordered, 0.75) - _quantile(ordered, 0.25))
    return median, max(spread, POISSON_SD)


class _SortedWindow:
    """The last ``size`` values, kept both in arrival order (to evict) and sorted (to read quantiles)."""

    def __init__(self, size: int) -> None:
        self.arrival: deque[float] = deque()
        self.ordered: list[float] = []
        self.size = size
        self._stats: tuple[float, float] | None = None

    def z(self, x: float) -> float:
        """``robust_z`` with the centre and spread cached until the window changes (scored far more often)."""
        if self._stats is None:
            self._stats = _centre_spread(self.ordered)
        median, spread = self._stats
        return (forward(x) - median) / spread

    def append(self, value: float) -> None:
        if len(self.arrival) == self.size:
            old = self.arrival.popleft()
            del self.ordered[bisect.bisect_left(self.ordered, old)]
        self.arrival.append(value)
        bisect.insort(self.ordered, value)
        self._stats = None

    def fill(self, value: float, count: int) -> None:
        """``append(value)`` ``count`` times, at a cost bounded by the window's size, not by ``count``."""
        if count <= 0:
            return
        if len(self.arrival) > self.size:  # a window whose size shrank never evicts (as ``append``)
            evict = 0
        else:
            count = min(count, self.size)  # older copies of ``value`` would be evicted by newer ones
            evict = max(0, len(self.arrival) + count - self.size)
        for _ in range(evict):
            old = self.arrival.popleft()
            del self.ordered[bisect.bisect_left(self.ordered, old)]
        self.arrival.extend([value] * count)
        at = bisect.bisect_left(self.ordered, value)
        self.ordered[at:at] = [value] * count
        self._stats = None

    def __len__(self) -> int:
        return len(self.arrival)


class WindowZ(Detector):
    """Robust z against the last ``window`` observations (at least ``min_history`` before it scores).

    Example:
        >>> from datetime import datetime
        >>> d = WindowZ(window=12)
        >>> t = datetime(2026, 1, 1)
        >>> for x in [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9]:
        ...     _ = d.update(x, t)
        >>> d.score_one(10, t) == 0.0, d.score_one(60, t) > 5
        (True, True)
    """

    def __init__(self, window: int = 288, min_history: int = 12) -> None:
        self.window = window
        self.min_history = min_history
        super().__init__()

    def _reset(self) -> None:
        self._history = _SortedWindow(self.window)

    def ready(self, t: datetime) -> bool:
        return len(self._history) >= self.min_history

    def score_one(self, x: float, t: datetime) -> float:
        if len(self._history) < self.min_history:
            return 0.0
        return self._history.z(x)

    def learn_one(self, x: float, t: datetime) -> None:
        self._history.append(forward(x))

    def learn_zeros(self, n: int, start: datetime, step: timedelta) -> None:
        self._history.fill(forward(0.0), n)

    def median(self) -> float:
        """The median of the window on the original scale (0 when empty)."""
        return inverse(_quantile(self._history.ordered, 0.5)) if len(self._history) else 0.0


class SeasonalZ(Detector):
    """Robust z against the same hour of day (``period="day"``) or of week over the last ``cycles`` periods.

    This is what handles seasonality: 3 a.m. is compared with past 3 a.m.s, Monday 9 a.m. with past Mondays.
    """

    def __init__(self, period: str = "day", cycles: int = 7, min_history: int = 12) -> None:
        if period not in ("day", "week"):
            raise ValueError("period is 'day' or 'week'")
        self.period = period
        self.cycles = cycles
        self.min_history = min_history
        super().__init__()

    def _reset(self) -> None:
        self._slots: dict[int, _SortedWindow] = {}
        self._per_slot: int | None = None  # observations per hour, learned from the first gaps seen
        self._last: datetime | None = None

    def _slot(self, t: datetime) -> int:
        return t.hour if self.period == "day" else t.weekday() * 24 + t.hour

    def ready(self, t: datetime) -> bool:
        history = self._slots.get(self._slot(t))
        return history is not None and len(history) >= self.min_history

    def score_one(self, x: float, t: datetime) -> float:
        history = self._slots.get(self._slot(t))
        if history is None or len(history) < self.min_history:
            return 0.0
        return history.z(x)

    def learn_one(self, x: float, t: datetime) -> None:
        if self._per_slot is None and self._last is not None and t > self._last:
            self._per_slot = max(1, round(3600 / (t - self._last).total_seconds()))
        self._last = t
        size = self.cycles * (self._per_slot or 12)
        slot = self._slots.setdefault(self._slot(t), _SortedWindow(size))
        slot.size = size
        slot.append(forward(x))

    def learn_zeros(self, n: int, start: datetime, step: timedelta) -> None:
        """Zeros in bulk: the first two steps as usual (they may set ``_per_slot``), then each slot takes
        as many zeros as the stretch puts in its hour, up to the slot's size."""
        exact = min(n, 2)
        super().learn_zeros(exact, start, step)
        rest = n - exact
        if rest <= 0:
            return
        first = start + exact * step
        size = self.cycles * (self._per_slot or 12)
        for slot_id, count in _slot_appends(first, rest, step, self.period, size):
            slot = self._slots.setdefault(slot_id, _SortedWindow(size))
            slot.size = size
            slot.fill(forward(0.0), count)
        self._last = first + (rest - 1) * step


@lru_cache(maxsize=256)
def _slot_appends(
    first: datetime, n: int, step: timedelta, period: str, size: int
) -> tuple[tuple[int, int], ...]:
    """How many of the ``n`` steps from ``first`` fall in each hour slot, counting back from the last and
    capped at ``size`` per slot (older ones would be evicted): at most every slot's ``size`` steps are
    visited, however long the stretch. The same for every key of a monitor, hence the cache."""
    slots = 24 if period == "day" else 168
    counts: dict[int, int] = {}
    full = 0
    for i in range(min(n, slots * size)):
        t = first + (n - 1 - i) * step
        slot_id = t.hour if period == "day" else t.weekday() * 24 + t.hour
        seen = counts.get(slot_id, 0)
        if seen < size:
            counts[slot_id] = seen + 1
            full += seen + 1 == size
            if full == slots:
                break
    return tuple(counts.items())
