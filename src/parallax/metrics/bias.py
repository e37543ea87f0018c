"""Survey non-response bias: a doubly robust (AIPW) estimate of what everyone invited would have said.

Everyone invited is known (the invite row), not only those who answered. Two models are fitted on what is
known about every invitee (segment covariates of the invite such as delay, disruption, cabin, tier, route;
the person's tickets and volunteered, negative interactions found by customer id or shared email):

* a propensity model: a logistic regression of "answered" on the covariates, giving each invitee's chance
  ``p`` of answering (clipped so no answer speaks for more than ``1/MIN_PROPENSITY`` invitees);
* an outcome model: a logistic regression of the answer's value on the same covariates, fitted on those
  who answered, giving the expected value ``m`` of every invitee's answer.

The corrected score is the augmented inverse-probability-weighted mean (Hajek-normalised residual term)::

    corrected = mean over invitees of m  +  sum over answers of w*(y - m) / sum over answers of w,  w = 1/p

It is right if either model is (doubly robust): the outcome model fills in those who did not answer, and
the weighted residuals of those who did repair what the outcome model got wrong. ``ipw`` is the propensity
part alone (Hajek mean ``sum w*y / sum w``). The interval is a bootstrap over invitees, keeping (default) or
refitting both models per draw.

Both parts assume answering at random *given* the covariates; a pull that depends on the unobserved score
itself beyond them stays, and docs/metrics.md measures how much of it that leaves in the simulator.

Example:
    >>> hit, calm = {"disrupted": True}, {"disrupted": False}
    >>> invitees = [Invitee(hit, False, None)] * 30 + [Invitee(hit, True, 2.0)] * 10
    >>> invitees += [Invitee(calm, True, 5.0)] * 40 + [Invitee(calm, False, None)] * 20
    >>> r = correct_csat(invitees, samples=50)
    >>> r.naive, 58 < r.corrected < r.ipw < 70  # 60 in truth; both models are regularised
    (80.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

MIN_PROPENSITY = 0.02
NUMERIC_BINS = 10
MAX_LEVELS = 60
MAX_CROSS = 150  # levels of a two-way cross (route x cabin fits; route x airport does not)


@dataclass(frozen=True)
class Invitee:
    """One invitation: what is known about the person and trip, whether they answered, and the answer."""

    features: Mapping[str, str | float | bool]
    responded: bool
    score: float | None


@dataclass(frozen=True)
class BiasCorrection:
    metric: str
    naive: float
    naive_ci: tuple[float, float]
    corrected: float
    corrected_ci: tuple[float, float]
    invited: int
    responded: int
    note: str = ""
    ipw: float | None = None  # the inverse-probability-weighted mean alone (no outcome model)
    method: str = "aipw"


def satisfied(score: float) -> float:
    return 100.0 if score >= 4 else 0.0


def nps_points(score: float) -> float:
    return 100.0 if score >= 9 else (-100.0 if score <= 6 else 0.0)


def correct_csat(
    invitees: Sequence[Invitee], samples: int = 200, seed: int = 0, refit: bool = False
) -> BiasCorrection:
    """Naive vs corrected % satisfied (CSAT 4-5)."""
    return correct(invitees, satisfied, "csat_satisfied_pct", samples, seed, refit)


def correct_nps(
    invitees: Sequence[Invitee], samples: int = 200, seed: int = 0, refit: bool = False
) -> BiasCorrection:
    return correct(invitees, nps_points, "nps", samples, seed, refit)


def correct(
    invitees: Sequence[Invitee],
    value: Callable[[float], float],
    metric: str,
    samples: int = 200,
    seed: int = 0,
    refit: bool = False,
) -> BiasCorrection:
    """Naive and AIPW-corrected means with bootstrap intervals over invitees.

    ``refit=False`` keeps each invitee's fitted propensity and prediction across draws (fast; the interval
    is conditional on the fitted models); ``refit=True`` refits both in every draw (slower, a little wider).
    """
    answered = np.array([i.responded and i.score is not None for i in invitees])
    if answered.sum() < 10 or (~answered).sum() < 10:
        raise ValueError(
            f"need at least 10 answers and 10 non-answers, got {answered.sum()} of {len(invitees)}"
        )
    x = design_matrix([i.features for i in invitees])
    y = np.array([value(i.score) if i.score is not None else 0.0 for i in invitees])
    p, m = _propensity(x, answered), _outcome(x, answered, y)
    naive, ipw, corrected = _estimates(p, m, answered, y)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(samples):
        idx = rng.integers(0, len(invitees), len(invitees))
        a = answered[idx]
        if a.sum() < 2 or a.all():
            continue
        if refit:
            p_draw, m_draw = _propensity(x[idx], a), _outcome(x[idx], a, y[idx])
        else:
            p_draw, m_draw = p[idx], m[idx]
        draws.append(_estimates(p_draw, m_draw, a, y[idx]))
    arr = np.array(draws)
    return BiasCorrection(
        metric=metric,
        naive=round(naive, 4),
        naive_ci=_interval(arr[:, 0]),
        corrected=round(corrected, 4),
        corrected_ci=_interval(arr[:, 2]),
        invited=len(invitees),
        responded=int(answered.sum()),
        ipw=round(ipw, 4),
    )


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def _propensity(x: np.ndarray, answered: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    # Newton-Cholesky: many more invitees than columns, so each step is one small dense solve
    model = LogisticRegression(max_iter=100, C=1.0, solver="newton-cholesky")
    model.fit(x, answered)
    return np.clip(model.predict_proba(x)[:, 1], MIN_PROPENSITY, 1.0)


def _outcome(x: np.ndarray, answered: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Expected value for every invitee: a logistic model of the answer's value, fitted on those who answered.

    The values are few (0/100 for a share; -100/0/100 for NPS), so a (multinomial) logistic regression gives
    their probabilities and the prediction is the probability-weighted value: always inside the score's
    range. A linear model would predict below 0 % satisfied for the worst-hit invitees, which happens to
    pull the estimate towards the truth in the simulator but is no estimate of anything. Same shrinkage as
    the propensity model (C = 1).
    """
    from sklearn.linear_model import LogisticRegression

    levels = np.unique(y[answered])
    if levels.size < 2:
        return np.full(y.size, float(levels[0]) if levels.size else 0.0)
    model = LogisticRegression(max_iter=100, C=1.0, solver="newton-cholesky")
    model.fit(x[answered], y[answered])
    return np.asarray(model.predict_proba(x) @ model.classes_, dtype=float)


def _estimates(
    p: np.ndarray, m: np.ndarray, answered: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """(naive mean of the answers, Hajek IPW mean, AIPW mean) for one set of invitees."""
    w = 1.0 / p[answered]
    ipw = float((w * y[answered]).sum() / w.sum())
    aipw = float(m.mean() + (w * (y[answered] - m[answered])).sum() / w.sum())
    return float(y[answered].mean()), ipw, aipw


def design_matrix(rows: Sequence[Mapping[str, str | float | bool]]) -> np.ndarray:
    """Booleans as 0/1, numbers as quantile-bin indicators (any shape of effect), text as one-hot.

    Text attributes with more than MAX_LEVELS values (flight numbers, dates) are left out: they would
    give every invitee a private weight.
    """
    keys = sorted({k for row in rows for k in row})
    columns: list[np.ndarray] = []
    texts: list[tuple[str, int]] = []
    for key in keys:
        values = [row.get(key) for row in rows]
        columns.extend(_encode(values))
        if all(isinstance(_parse(v), str | None) for v in values):
            texts.append((key, len({str(v) for v in values})))
    # Two-way crosses of text attributes: a failure often lives in a combination (route x cabin).
    for k, (first, levels) in enumerate(texts):
        for second, other_levels in texts[k + 1 :]:
            if levels * other_levels > MAX_CROSS:
                continue
            columns.extend(
                _encode([f"{row.get(first)}|{row.get(second)}" for row in rows], max_levels=MAX_CROSS)
            )
    if not columns:
        return np.zeros((len(rows), 1))
    return np.column_stack(columns)


def _encode(values: list[str | float | bool | None], max_levels: int = MAX_LEVELS) -> list[np.ndarray]:
    parsed = [_parse(v) for v in values]
    present = [v for v in parsed if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return [np.array([1.0 if v else 0.0 for v in parsed])]
    if present and all(isinstance(v, float) for v in present):
        nums = np.array([v if isinstance(v, float) else np.nan for v in parsed])
        edges = np.unique(np.nanquantile(nums, np.linspace(0, 1, NUMERIC_BINS + 1)[1:-1]))
        binned = np.where(np.isnan(nums), -1, np.searchsorted(edges, nums, side="right"))
        smooth = np.log1p(np.clip(np.nan_to_num(nums), 0, None))
        bins = [(binned == b).astype(float) for b in range(1, len(edges) + 1)]
        return [*bins, smooth, np.isnan(nums).astype(float)]
    levels = sorted({str(v) for v in present})
    if len(levels) > max_levels or len(levels) < 2:
        return []
    return [np.array([1.0 if str(v) == level else 0.0 for v in parsed]) for level in levels[1:]]


def _parse(value: str | float | bool | None) -> str | float | bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if math.isnan(float(value)) else float(value)
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        return text or None
