"""Hidden failures: segments and two-way combinations doing significantly worse than the average that
hides them, with empirical-Bayes shrinkage, Benjamini-Hochberg FDR control, ranked by impact.

* A single segment (``route=AMS-LHR``) is tested against everyone else; a combination
  (``route=LHR-JFK & cabin=business``) against the rest of BOTH parents (the other cabins on that route and
  business on other routes), so a combination is only news when neither parent explains it.
* A flagged single segment that lies mostly (>= 80% of its volume) inside another flagged segment of another
  attribute, without their combination being flagged, is explained by that one and dropped.
* Rates are shrunk towards the attribute's mean with a beta prior fitted by the method of moments, so a
  segment of 6 answers cannot top the list; p-values are one-sided binomial tail probabilities of the raw
  counts against the comparison rate; BH at ``q`` across every test.
* Impact = volume x severity (shrunk rate minus comparison rate) x mean customer value (1 when unknown).

Example:
    >>> counts = {(("route", "A"),): Counts(200, 100), (("route", "B"),): Counts(2000, 200),
    ...           (("route", "C"),): Counts(2000, 210), (("route", "D"),): Counts(5, 3)}
    >>> [f.label for f in hidden_failures(counts)]
    ['route=A']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

Key = tuple[tuple[str, str], ...]
NESTED_SHARE = 0.8


@dataclass(frozen=True)
class Counts:
    n: int
    bad: int
    value: float = 0.0  # sum of customer value over the n; 0 means unknown (treated as 1 each)


@dataclass(frozen=True)
class HiddenFailure:
    segment: Key
    n: int
    bad: int
    rate_pct: float
    shrunk_rate_pct: float
    comparison_rate_pct: float
    p_value: float
    q_value: float
    impact: float

    @property
    def label(self) -> str:
        return " & ".join(f"{k}={v}" for k, v in self.segment)


def hidden_failures(counts: Mapping[Key, Counts], q: float = 0.05, min_n: int = 10) -> list[HiddenFailure]:
    """Every significantly-worse segment or combination, most impactful first."""
    attr_totals = _attribute_totals(counts)
    priors = _priors(counts)
    tested: list[tuple[Key, float, float]] = []  # (key, comparison rate, p)
    nested = _nested_pairs(counts)
    for key, c in counts.items():
        if c.n < min_n or len(key) > 2 or _attrs(key) in nested:
            continue
        rests = [_rest(counts, attr_totals, key, parent) for parent in _parents(key)]
        if any(r.n < min_n for r in rests):
            continue  # nested attributes (a route inside its airport): nothing to compare with
        comparisons = [r.bad / r.n for r in rests]
        p = max(_p_worse(c, rate) for rate in comparisons)
        tested.append((key, max(comparisons), p))
    if not tested:
        return []
    qvalues = _bh([p for _, _, p in tested])
    flagged = {key: (rate, p, qv) for (key, rate, p), qv in zip(tested, qvalues, strict=True) if qv <= q}
    kept = [k for k in flagged if not _explained(k, flagged, counts)]
    out = [_failure(k, counts[k], priors[_attrs(k)], *flagged[k]) for k in kept]
    return sorted(out, key=lambda f: -f.impact)


def _nested_pairs(counts: Mapping[Key, Counts]) -> set[tuple[str, ...]]:
    """Attribute pairs where one decides the other (a route decides its airport): their combinations
    only repeat the single segments, so they are not tested."""
    top: dict[tuple[str, str, str], int] = defaultdict(int)  # (attr, value, other attr) -> largest combo
    for key, c in counts.items():
        if len(key) == 2:
            for (a, v), (b, _) in ((key[0], key[1]), (key[1], key[0])):
                top[(a, v, b)] = max(top[(a, v, b)], c.n)
    nested = set()
    for key in {k for k in counts if len(k) == 2}:
        (a, _), (b, _) = key
        for first, second in ((a, b), (b, a)):
            singles = [(k[0][1], c.n) for k, c in counts.items() if len(k) == 1 and k[0][0] == first]
            total = sum(n for _, n in singles)
            held = sum(top.get((first, v, second), 0) for v, _ in singles)
            if total and held >= NESTED_SHARE * total and len(singles) > 1:
                nested.add(_attrs(key))
    return nested


def _attrs(key: Key) -> tuple[str, ...]:
    return tuple(k for k, _ in key)


def _attribute_totals(counts: Mapping[Key, Counts]) -> dict[tuple[str, ...], Counts]:
    totals: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0, 0])
    for key, c in counts.items():
        if len(key) == 1:
            totals[_attrs(key)][0] += c.n
            totals[_attrs(key)][1] += c.bad
    return {k: Counts(int(v[0]), int(v[1])) for k, v in totals.items()}


def _parents(key: Key) -> list[Key | None]:
    return [None] if len(key) == 1 else [(key[0],), (key[1],)]


def _rest(
    counts: Mapping[Key, Counts], totals: Mapping[tuple[str, ...], Counts], key: Key, parent: Key | None
) -> Counts:
    """The comparison group: everyone else (single) or the parent minus the combination."""
    whole = totals[_attrs(key)[:1]] if parent is None else counts.get(parent, Counts(0, 0))
    c = counts[key]
    return Counts(whole.n - c.n, whole.bad - c.bad)


def _p_worse(c: Counts, rate: float) -> float:
    rate = min(max(rate, 1e-6), 1 - 1e-6)
    return float(stats.binom.sf(c.bad - 1, c.n, rate))


def _bh(pvalues: list[float]) -> list[float]:
    p = np.asarray(pvalues)
    order = np.argsort(p)
    ranked = p[order] * len(p) / (np.arange(len(p)) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return [float(v) for v in out]


def _priors(counts: Mapping[Key, Counts]) -> dict[tuple[str, ...], tuple[float, float]]:
    """Beta(a, b) per attribute (or pair) by the method of moments over its segments' rates."""
    rates: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for key, c in counts.items():
        if c.n > 0:
            rates[_attrs(key)].append((c.n, c.bad))
    priors = {}
    for attrs, pairs in rates.items():
        n = np.array([p[0] for p in pairs], dtype=float)
        r = np.array([p[1] for p in pairs]) / n
        mean = float(np.average(r, weights=n))
        var = float(np.average((r - mean) ** 2, weights=n)) - mean * (1 - mean) / float(n.mean())
        strength = mean * (1 - mean) / var - 1 if var > 1e-9 else 1e4
        strength = min(max(strength, 1.0), 1e4)
        priors[attrs] = (mean * strength, (1 - mean) * strength)
    return priors


def _explained(
    key: Key, flagged: Mapping[Key, tuple[float, float, float]], counts: Mapping[Key, Counts]
) -> bool:
    """A flagged single is explained by another flagged single T of another attribute when, without T's
    rows, it is no longer significantly worse (T smaller than it); or when it lies inside T and is no worse
    than the rest of T."""
    if len(key) != 1:
        return False
    rate = flagged[key][0]
    for other in flagged:
        if len(other) != 1 or other[0][0] == key[0][0]:
            continue
        combo = _combo(counts, key, other)
        if combo is None:
            continue
        inside = counts[combo]
        left = Counts(counts[key].n - inside.n, counts[key].bad - inside.bad)
        if left.n >= (1 - NESTED_SHARE) * counts[key].n:
            # mostly outside T: only a smaller, more specific T can explain it away
            if counts[other].n < counts[key].n and _p_worse(left, rate) > 0.05:
                return True
            continue
        other_left = Counts(counts[other].n - inside.n, counts[other].bad - inside.bad)
        if other_left.n > 0 and _p_worse(counts[key], other_left.bad / other_left.n) > 0.05:
            return True  # inside T and no worse than the rest of T: the problem is T-wide
    return False


def _combo(counts: Mapping[Key, Counts], a: Key, b: Key) -> Key | None:
    for key in ((a[0], b[0]), (b[0], a[0])):
        if key in counts:
            return key
    return None


def _failure(
    key: Key, c: Counts, prior: tuple[float, float], rate: float, p: float, qv: float
) -> HiddenFailure:
    a, b = prior
    shrunk = (c.bad + a) / (c.n + a + b)
    value = c.value / c.n if c.value > 0 else 1.0
    return HiddenFailure(
        segment=key,
        n=c.n,
        bad=c.bad,
        rate_pct=round(100 * c.bad / c.n, 2),
        shrunk_rate_pct=round(100 * shrunk, 2),
        comparison_rate_pct=round(100 * rate, 2),
        p_value=p,
        q_value=qv,
        impact=round(c.n * max(shrunk - rate, 0.0) * value, 2),
    )
