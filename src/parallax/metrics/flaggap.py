"""Gap between a company-side yes/no service flag and what the same customers wrote.

Some sources carry no survey but a company-side outcome per case (CFPB: "Timely response?"). The inside
score is the share of cases where the flag says yes (0-100); the outside score is the net favourability of
the customers' own words on the same cases (``gap.outside_favourability``); the gap is their difference with
a bootstrap interval (binomial for the flag, multinomial for the words). Both come from the declared cell
statistics of ``attribute*flag``, so every engine gives the same figures.

Example:
    >>> from parallax.metrics.cells import CellStats
    >>> yes = CellStats("Mortgage & yes", None, interactions=95, voice_scored=40, voice_negative=30,
    ...                 voice_positive=5)
    >>> cells = [yes, CellStats("Mortgage & no", None, interactions=5, voice_scored=2)]
    >>> g = flag_gaps(cells, "yes", seed=0)[0]
    >>> g.segment, g.inside, g.outside, g.gap
    ('Mortgage', 95.0, 20.2381, 74.7619)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parallax.metrics.cells import CellStats
from parallax.metrics.declarations import SEPARATOR
from parallax.metrics.gap import MIN_ANSWERS, Favourability, _bootstrap_index


@dataclass(frozen=True)
class FlagGap:
    segment: str
    cases: int
    inside: float  # % of cases the company flags as good (e.g. timely)
    scored: int
    outside: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    note: str = ""


def flag_gaps(cells: Sequence[CellStats], yes: str, seed: int = 0, samples: int = 1000) -> list[FlagGap]:
    """Cells of ``attribute*flag`` folded into one row per attribute value, largest gap first."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # cases, yes, scored, pos, neg
    for c in cells:
        segment, _, flag = c.segment.rpartition(SEPARATOR)
        t = totals[segment]
        t[0] += c.interactions
        t[1] += c.interactions if flag == yes else 0
        t[2] += c.voice_scored
        t[3] += c.voice_positive
        t[4] += c.voice_negative
    rng = np.random.default_rng(seed)
    out = [_one(segment, tuple(t), rng, samples) for segment, t in sorted(totals.items())]
    return sorted(out, key=lambda g: -(g.gap if g.gap is not None else -1e9))


def _one(segment: str, t: tuple[int, ...], rng: np.random.Generator, samples: int) -> FlagGap:
    cases, yes, scored, pos, neg = t
    inside = round(100.0 * yes / cases, 4) if cases else 0.0
    words = Favourability(pos, neg, scored)
    if scored < MIN_ANSWERS or cases < MIN_ANSWERS:
        note = f"too little data: {cases} cases, {scored} with scored text (need {MIN_ANSWERS} each)"
        return FlagGap(segment, cases, inside, scored, words.index, None, None, None, note)
    flag_draws = 100.0 * rng.binomial(cases, yes / cases, samples) / cases
    draws = flag_draws - _bootstrap_index(words, rng, samples)
    low, high = np.percentile(draws, [2.5, 97.5])
    outside = words.index or 0.0
    return FlagGap(
        segment,
        cases,
        inside,
        scored,
        outside,
        round(inside - outside, 4),
        round(float(low), 4),
        round(float(high), 4),
    )
