"""Intervals of the survey correction from influence functions: one formula, no random draws.

Each estimate of ``bias.py`` (the answers' mean, the AIPW mean, the two-phase mean) is a smooth function of
means over invitees, with the fitted propensity ``p`` and prediction ``m`` held fixed. Its influence
function ``IF`` (delta method) gives the standard error ``sqrt(sum IF^2) / n`` and a 95 % Wald interval.
This is the interval a bootstrap over invitees that keeps the fitted models converges to as its draws grow
(docs/metrics.md compares the two), but it is exact arithmetic: the same answers give the same interval on
every page, report and API call, at the cost of a few sums.

Example: 100 invitees, 40 answered, half of those 100 and half 0; the answers' mean is 50 with a standard
error of sqrt(0.25 / 40) = 7.9 points:

    >>> answered = np.arange(100) < 40
    >>> y = np.where(np.arange(100) % 2 == 0, 100.0, 0.0)
    >>> wald(50.0, mean_influence(y, answered), (0.0, 100.0))
    (34.5051, 65.4949)
"""

from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054  # the standard normal's 97.5 % point


def wald(estimate: float, influence: np.ndarray, bounds: tuple[float, float]) -> tuple[float, float]:
    """``estimate`` +- 1.96 standard errors, kept inside the score's range ``bounds``."""
    se = float(np.sqrt((influence**2).sum())) / influence.size
    low, high = max(estimate - Z95 * se, bounds[0]), min(estimate + Z95 * se, bounds[1])
    return round(low, 4), round(high, 4)


def mean_influence(y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The mean of ``y`` over ``rows`` (a ratio of two means over invitees)."""
    share = rows.mean()
    return np.where(rows, y - y[rows].mean(), 0.0) / share


def _hajek(residual: np.ndarray, weight: np.ndarray, rows: np.ndarray) -> tuple[float, np.ndarray]:
    """``sum w*r / sum w`` over ``rows`` and its influence."""
    wr, w = np.where(rows, weight * residual, 0.0), np.where(rows, weight, 0.0)
    ratio = float(wr.mean() / w.mean())
    return ratio, (wr - ratio * w) / w.mean()


def aipw_influence(p: np.ndarray, m: np.ndarray, answered: np.ndarray, y: np.ndarray) -> np.ndarray:
    """AIPW: ``mean(m) + sum over answers of w*(y - m) / sum of w``, w = 1/p."""
    _, hajek = _hajek(y - m, 1.0 / p, answered)
    return (m - m.mean()) + hajek


def two_phase_influence(
    p: np.ndarray, m: np.ndarray, online: np.ndarray, by_call: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Two-phase: ``mean(online*y) + mean(stratum*m) + share(stratum) * R``, R the follow-up's Hajek
    residual term (``twophase.two_phase_mean``)."""
    stratum = (~online).astype(float)
    answered = np.where(online, y, 0.0)
    ratio, hajek = _hajek(y - m, 1.0 / p, by_call)
    return (
        (answered - answered.mean())
        + (stratum * m - (stratum * m).mean())
        + (stratum - stratum.mean()) * ratio
        + stratum.mean() * hajek
    )
