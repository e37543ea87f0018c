"""Hidden failures: segments and two-way combinations doing significantly worse than the average that
hides them, with empirical-Bayes shrinkage, Benjamini-Hochberg FDR control, ranked by impact.

* A single segment (``route=AMS-LHR``) is tested against everyone else; a combination
  (``route=LHR-JFK & cabin=business``) against the rest of BOTH parents (the other cabins on that route and
  business on other routes), so a combination is only news when neither parent explains it.
* Of two overlapping flagged singles of different attributes, one is dropped as explained by the other only
  on evidence: by a narrower one (a route for its airport) when its own rows outside it are significantly
  better than the shared ones; by a broader one when that one's problem is significant outside it too.
  Where the data cannot tell a segment from a narrower one, both stay and the broader points at the
  narrower (``mainly``); the kept segment lists what it explains (``explains``). See ``_relation``.
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
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

Key = tuple[tuple[str, str], ...]
NESTED_SHARE = 0.8
ALPHA = 0.05  # a part of a segment 'carries' a problem when this significantly worse
EXPLAINS, MAINLY = "explains", "mainly"


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
    # flagged segments dropped because this one accounts for them (airport=BCN for route=BCN-AMS)
    explains: tuple[str, ...] = ()
    # a narrower flagged segment this one is mainly about, where the data cannot tell them apart
    # (airport=BCN, whose flagged rows are nearly all route=BCN-AMS): the cause to look at first
    mainly: str | None = None

    @property
    def label(self) -> str:
        return _label(self.segment)


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
    explained, mainly = _relations(flagged, counts, _deciding(counts))
    dropped = _resolve(explained)
    out = []
    for k in flagged:
        if k not in dropped:
            about = mainly.get(k)
            pointer = _label(dropped.get(about, about)) if about is not None else None
            failure = _failure(k, counts[k], priors[_attrs(k)], *flagged[k], _explains(k, dropped))
            out.append(replace(failure, mainly=pointer))
    return sorted(out, key=lambda f: -f.impact)


def _nested_pairs(counts: Mapping[Key, Counts]) -> set[tuple[str, ...]]:
    """Attribute pairs where one decides the other (a route decides its airport): their combinations
    only repeat the single segments, so they are not tested."""
    deciding = _deciding(counts)
    return {
        _attrs(key)
        for key in counts
        if len(key) == 2 and {(key[0][0], key[1][0]), (key[1][0], key[0][0])} & deciding
    }


def _deciding(counts: Mapping[Key, Counts]) -> set[tuple[str, str]]:
    """(a, b) where a value of ``a`` decides the value of ``b`` (a route its airport): over ``a``'s values,
    at least ``NESTED_SHARE`` of the volume lies in each value's largest combination with ``b``."""
    top: dict[tuple[str, str, str], int] = defaultdict(int)  # (attr, value, other attr) -> largest combo
    pairs: set[tuple[str, str]] = set()
    for key, c in counts.items():
        if len(key) == 2:
            for (a, v), (b, _) in ((key[0], key[1]), (key[1], key[0])):
                top[(a, v, b)] = max(top[(a, v, b)], c.n)
                pairs.add((a, b))
    singles: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, c in counts.items():
        if len(key) == 1:
            singles[key[0][0]].append((key[0][1], c.n))
    out = set()
    for first, second in pairs:
        values = singles.get(first, [])
        total = sum(n for _, n in values)
        held = sum(top.get((first, v, second), 0) for v, _ in values)
        if total and len(values) > 1 and held >= NESTED_SHARE * total:
            out.add((first, second))
    return out


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


def _relations(
    flagged: Mapping[Key, tuple[float, float, float]],
    counts: Mapping[Key, Counts],
    deciding: set[tuple[str, str]],
) -> tuple[dict[Key, Key], dict[Key, Key]]:
    """(segment -> the flagged single that explains it, segment -> the narrower one it is mainly about),
    over the flagged singles of different attributes."""
    explained: dict[Key, Key] = {}
    mainly: dict[Key, Key] = {}
    singles = [k for k in flagged if len(k) == 1]
    for key in singles:
        for other in singles:
            if other[0][0] == key[0][0]:
                continue
            relation = _relation(other, key, flagged, counts, deciding)
            if relation == EXPLAINS:
                explained[key] = other
                break
            if relation == MAINLY:
                mainly.setdefault(key, other)
    return explained, mainly


def _relation(
    t: Key,
    k: Key,
    flagged: Mapping[Key, tuple[float, float, float]],
    counts: Mapping[Key, Counts],
    deciding: set[tuple[str, str]],
) -> str | None:
    """How flagged ``t`` bears on flagged ``k``: it explains k (k is dropped), k is mainly t's problem
    (both are kept, k points at t), or neither.

    The rows k and t share must be significantly worse than k's comparison and k's rows outside t must
    not be (where k's value decides t's, a route its airport, all of k lies in t, tagged or not). Then a
    narrower t (its attribute decides k's; else it is smaller) explains k when k's rows outside t are
    significantly better than the shared ones (Fisher): the problem is t's. With too few rows outside t to
    say so, k is kept, *mainly* about t. A broader t explains k only when t's problem is seen outside k too
    (significantly, so a few rows cannot explain a segment away) and k is no worse than the rest of t."""
    combo = _combo(counts, k, t)
    if combo is None:
        return None
    rate = flagged[k][0]
    whole = (k[0][0], t[0][0]) in deciding and _decided(counts, k, t)
    inside = counts[k] if whole else counts[combo]
    outside = _minus(counts[k], inside)
    if not _worse(inside, rate) or _worse(outside, rate):
        return None
    if _narrower(t, k, counts, deciding):
        return EXPLAINS if _better(outside, inside) else MAINLY
    rest = _minus(counts[t], counts[combo])
    return EXPLAINS if _worse(rest, flagged[t][0]) and not _worse(counts[k], rest.bad / rest.n) else None


def _decided(counts: Mapping[Key, Counts], k: Key, t: Key) -> bool:
    """Whether t's value is the one k's value goes with (>= ``NESTED_SHARE`` of k's combinations with t's
    attribute): route=FCO-LHR goes with airport=FCO, not airport=LHR."""
    combos: dict[Key, int] = {
        key: c.n for key, c in counts.items() if len(key) == 2 and k[0] in key and t[0][0] in _attrs(key)
    }
    combo = _combo(counts, k, t)
    return combo is not None and combos[combo] >= NESTED_SHARE * sum(combos.values())


def _better(a: Counts, b: Counts) -> bool:
    """``a``'s bad rate significantly lower than ``b``'s (one-sided Fisher exact test, ``ALPHA``)."""
    if a.n == 0 or b.n == 0:
        return False
    table = [[a.bad, a.n - a.bad], [b.bad, b.n - b.bad]]
    return float(stats.fisher_exact(table, alternative="less")[1]) <= ALPHA


def _worse(c: Counts, rate: float) -> bool:
    """Significantly worse than ``rate`` (one-sided binomial, ``ALPHA``); never with no rows."""
    return c.n > 0 and _p_worse(c, rate) <= ALPHA


def _minus(whole: Counts, part: Counts) -> Counts:
    return Counts(whole.n - part.n, whole.bad - part.bad)


def _narrower(t: Key, k: Key, counts: Mapping[Key, Counts], deciding: set[tuple[str, str]]) -> bool:
    """t is the more specific cause: its attribute decides k's (a route its airport), else it has fewer
    rows (ties by label, so of two segments exactly one is narrower)."""
    a, b = t[0][0], k[0][0]
    if ((a, b) in deciding) != ((b, a) in deciding):
        return (a, b) in deciding
    return (counts[t].n, t) < (counts[k].n, k)


def _resolve(explainer: Mapping[Key, Key]) -> dict[Key, Key]:
    """Dropped segment -> the kept one that finally explains it (through a chain); a cycle keeps its
    segments."""
    out = {}
    for key, by in explainer.items():
        seen = {key}
        while by in explainer and by not in seen:
            seen.add(by)
            by = explainer[by]
        if by not in explainer:
            out[key] = by
    return out


def _explains(key: Key, dropped: Mapping[Key, Key]) -> tuple[str, ...]:
    return tuple(sorted(_label(k) for k, by in dropped.items() if by == key))


def _label(key: Key) -> str:
    return " & ".join(f"{k}={v}" for k, v in key)


def _combo(counts: Mapping[Key, Counts], a: Key, b: Key) -> Key | None:
    for key in ((a[0], b[0]), (b[0], a[0])):
        if key in counts:
            return key
    return None


def _failure(
    key: Key,
    c: Counts,
    prior: tuple[float, float],
    rate: float,
    p: float,
    qv: float,
    explains: tuple[str, ...],
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
        explains=explains,
    )
