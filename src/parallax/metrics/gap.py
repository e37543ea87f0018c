"""The Perception Gap Index: inside and outside views on one 0-100 scale, and their difference.

Both views become a *net favourability* on 0-100: ``50 + 50 * (positive - negative) / n``.
Inside, an answer is positive when CSAT is 4-5, NPS 9-10 or CES 5-7 and negative when CSAT is 1-2, NPS 0-6
or CES 1-3; outside, a volunteered interaction is positive or negative by its sentiment label. The gap is
inside minus outside: positive when the dashboards look better than what customers say unasked.

The interval is a percentile bootstrap. Resampling n answers with replacement from a sample of
positive/negative/other answers is exactly a multinomial draw with the observed shares, so the bootstrap
runs on the cell's counts without touching individual rows (same result on every engine).

Example:
    >>> from parallax.metrics.cells import CellStats
    >>> cell = CellStats(segment="LHR-JFK", period=None, csat_5=80, csat_1=20, voice_scored=50,
    ...                  voice_negative=30, voice_positive=10)
    >>> g = perception_gap(cell, seed=1)
    >>> g.inside, g.outside, g.gap
    (80.0, 30.0, 50.0)
    >>> g.ci_low < 50.0 < g.ci_high
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.metrics.cells import CellStats

MIN_ANSWERS = 30
BOOTSTRAP_SAMPLES = 1000


@dataclass(frozen=True)
class Favourability:
    positive: int
    negative: int
    n: int

    @property
    def index(self) -> float | None:
        return None if self.n == 0 else round(50.0 + 50.0 * (self.positive - self.negative) / self.n, 4)


def inside_favourability(s: CellStats) -> Favourability:
    return Favourability(
        positive=s.csat_4 + s.csat_5 + s.nps_promoters + s.ces_easy,
        negative=s.csat_1 + s.csat_2 + s.nps_detractors + s.ces_hard,
        n=s.csat_n + s.nps_n + s.ces_n,
    )


def outside_favourability(s: CellStats) -> Favourability:
    return Favourability(positive=s.voice_positive, negative=s.voice_negative, n=s.voice_scored)


@dataclass(frozen=True)
class GapScore:
    """One cell's gap; ``gap`` and its interval are None with a ``note`` when the data are too thin."""

    inside: float | None
    outside: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    inside_n: int
    outside_n: int
    note: str = ""


def perception_gap(
    s: CellStats, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES, min_n: int = MIN_ANSWERS
) -> GapScore:
    """The cell's gap with a 95% percentile-bootstrap interval, or a note saying what is missing."""
    ins, out = inside_favourability(s), outside_favourability(s)
    if ins.n < min_n or out.n < min_n:
        note = (
            f"too little data: {ins.n} survey answers and {out.n} scored volunteered interactions "
            f"(need {min_n} each)"
        )
        return GapScore(ins.index, out.index, None, None, None, ins.n, out.n, note)
    rng = np.random.default_rng(seed)
    draws = _bootstrap_index(ins, rng, samples) - _bootstrap_index(out, rng, samples)
    low, high = np.percentile(draws, [2.5, 97.5])
    inside, outside = ins.index or 0.0, out.index or 0.0
    return GapScore(
        inside, outside, round(inside - outside, 4), round(float(low), 4), round(float(high), 4), ins.n, out.n
    )


def _bootstrap_index(f: Favourability, rng: np.random.Generator, samples: int) -> np.ndarray:
    shares = np.array([f.positive, f.negative, f.n - f.positive - f.negative], dtype=float) / f.n
    counts = rng.multinomial(f.n, shares, size=samples)
    return 50.0 + 50.0 * (counts[:, 0] - counts[:, 1]) / f.n
