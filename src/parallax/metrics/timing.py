"""Survey timing lag: how long after the moment of friction the answer came, and how scores move with it.

The moment of friction is the person's first complaint (a ticket or a negative volunteered interaction,
matched by customer id or shared email) in the 14 days before the answer; when there is none and the
survey row says the trip was disrupted, the trip date (midnight UTC) stands in for it. Answers with neither
are not about a known friction and are left out.

Example:
    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 3, 2)
    >>> answers = [LaggedAnswer(t, t + timedelta(hours=h), s) for h, s in [(2, 1), (5, 2), (30, 3), (200, 5)]]
    >>> [(b.label, b.n, b.satisfied_pct) for b in lag_buckets(answers)]
    [('< 24 h', 2, 0.0), ('1-3 days', 1, 0.0), ('3-7 days', 0, None), ('>= 7 days', 1, 100.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import stats

BUCKETS = (
    (0.0, 24.0, "< 24 h"),
    (24.0, 72.0, "1-3 days"),
    (72.0, 168.0, "3-7 days"),
    (168.0, 1e9, ">= 7 days"),
)


@dataclass(frozen=True)
class LaggedAnswer:
    friction_at: datetime
    answered_at: datetime
    score: float

    @property
    def lag_hours(self) -> float:
        return (self.answered_at - self.friction_at).total_seconds() / 3600.0


@dataclass(frozen=True)
class LagBucket:
    label: str
    n: int
    mean_score: float | None
    satisfied_pct: float | None


@dataclass(frozen=True)
class TimingLag:
    answers: int
    median_lag_hours: float | None
    spearman_rho: float | None
    p_value: float | None
    buckets: tuple[LagBucket, ...]


def lag_buckets(answers: Sequence[LaggedAnswer]) -> list[LagBucket]:
    out = []
    for low, high, label in BUCKETS:
        scores = [a.score for a in answers if low <= a.lag_hours < high]
        out.append(
            LagBucket(
                label,
                len(scores),
                round(float(np.mean(scores)), 3) if scores else None,
                round(100.0 * sum(s >= 4 for s in scores) / len(scores), 2) if scores else None,
            )
        )
    return out


def timing_lag(answers: Sequence[LaggedAnswer]) -> TimingLag:
    """Buckets plus a rank correlation of lag with score (positive: later answers are kinder)."""
    lags = np.array([a.lag_hours for a in answers])
    rho = p = None
    if len(answers) >= 10 and np.ptp(lags) > 0:
        result = stats.spearmanr(lags, [a.score for a in answers])
        rho, p = round(float(result.statistic), 4), float(result.pvalue)
    return TimingLag(
        answers=len(answers),
        median_lag_hours=round(float(np.median(lags)), 2) if len(answers) else None,
        spearman_rho=rho,
        p_value=p,
        buckets=tuple(lag_buckets(answers)),
    )
