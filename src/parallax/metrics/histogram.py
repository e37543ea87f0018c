"""Sparse log-binned histograms: mergeable stand-ins for the values a median needs.

Medians do not add up across days, but histograms do. A value falls in a bin 1% wide (geometric), so the
median read back from merged histograms is within 0.5% of the exact median, or within one minute for
durations under a minute (those share the zero bin). Negative durations (bad source clocks) mirror the
positive bins, so they are kept rather than dropped.

Example:
    >>> h = merge(histogram([1.0, 2.0, 10.0]), histogram([3.0]))
    >>> round(median(h), 2), median({})
    (2.5, None)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

GROWTH = 1.01
FLOOR = 1.0 / 60.0  # one minute, in hours: below it every value reads back as zero
_LOG_GROWTH = math.log(GROWTH)

Histogram = dict[str, int]  # bin index (as text, so it survives JSON) -> count


def bin_of(value: float) -> int:
    magnitude = abs(value)
    if magnitude < FLOOR:
        return 0
    k = 1 + math.floor(math.log(magnitude / FLOOR) / _LOG_GROWTH)
    return k if value > 0 else -k


def centre(k: int) -> float:
    """The geometric middle of bin ``k``: at most half a bin (0.5%) from any value in it."""
    if k == 0:
        return 0.0
    value = FLOOR * GROWTH ** (abs(k) - 1) * math.sqrt(GROWTH)
    return value if k > 0 else -value


def histogram(values: Iterable[float | None]) -> Histogram:
    """Counts per bin; missing values (None, NaN) are not counted, as the exact median skips them."""
    counts = Counter(bin_of(v) for v in values if v is not None and v == v)
    return {str(k): n for k, n in counts.items()}


def merge(*histograms: Mapping[str, int]) -> Histogram:
    total: Counter[str] = Counter()
    for h in histograms:
        total.update(h)
    return dict(total)


def median(h: Mapping[str, int]) -> float | None:
    """The median of the binned values (mean of the two middle ones for an even count), from bin centres."""
    n = sum(h.values())
    if n == 0:
        return None
    ranks = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    picked: list[float] = []
    seen = 0
    for k in sorted(int(b) for b in h):
        count = h[str(k)]
        picked += [centre(k)] * sum(seen <= r < seen + count for r in ranks)
        seen += count
        if len(picked) == len(ranks):
            break
    return round(sum(picked) / len(picked), 4)
