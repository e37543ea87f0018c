"""Two-phase (Hansen-Hurwitz) non-response correction: a random subsample of non-respondents followed up.

Phase 1 is the online survey. Those who never answered it are the non-respondent stratum; a random share
of them was re-contacted (phone, incentive) and many of those answered. Every online answer counts as it
is; the stratum's mean is estimated from the follow-up answers alone, doubly robust within the subsample::

    stratum = mean over the stratum of m  +  sum over follow-up answers of w*(y - m) / sum of w,  w = 1/p

with ``p`` the chance of answering the follow-up (fitted over those called) and ``m`` the outcome model of
a follow-up answer: one logistic regression on every answer with a follow-up indicator, predicted with the
indicator on (the online answers lend their covariate effects, the indicator carries the shift). Because
the subsample is random, this needs no assumption about why people skipped the online survey; it assumes
only that answering the *follow-up* is at random given the records.

Example: two online answers (100, 0); of the four who did not answer, three were called and two of them
answered (100, 0). With an outcome model that says 40 for everyone, the two residuals (+60, -40) lift the
stratum to 50, and the whole to (100 + 0 + 4 * 50) / 6:

    >>> online, called, by_call = (np.array([c == "1" for c in v]) for v in ("110000", "001110", "001100"))
    >>> phases = Phases(online, called, by_call)
    >>> y = np.array([100.0, 0.0, 100.0, 0.0, 0.0, 0.0])
    >>> two_phase_mean(y, phases, p=np.full(6, 2 / 3), m=np.full(6, 40.0))
    (50.0, 50.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.metrics.bias_models import outcome, propensity


@dataclass(frozen=True)
class Phases:
    """Per invitee: answered online; called in the follow-up (and no online answer); answered the call."""

    online: np.ndarray
    called: np.ndarray
    by_call: np.ndarray


@dataclass(frozen=True)
class TwoPhaseFit:
    p: np.ndarray  # chance of answering the follow-up, every invitee
    m: np.ndarray  # expected follow-up answer, every invitee
    m_online: np.ndarray  # expected online answer (online answers only), every invitee


def fit_two_phase(x: np.ndarray, y: np.ndarray, phases: Phases) -> TwoPhaseFit:
    p = propensity(x, phases.called, phases.by_call)
    heard = phases.online | phases.by_call
    flagged = np.column_stack([x, phases.by_call.astype(float)])
    as_followup = np.column_stack([x, np.ones(len(x))])
    m = outcome(flagged[heard], y[heard], as_followup)
    m_online = outcome(x[phases.online], y[phases.online], x)
    return TwoPhaseFit(p, m, m_online)


def two_phase_mean(y: np.ndarray, phases: Phases, p: np.ndarray, m: np.ndarray) -> tuple[float, float]:
    """(mean over every invitee, mean of the non-respondent stratum) for one set of invitees."""
    stratum_rows = ~phases.online
    heard = phases.by_call
    w = 1.0 / p[heard]
    stratum = float(m[stratum_rows].mean() + (w * (y[heard] - m[heard])).sum() / w.sum())
    total = float(y[phases.online].sum() + stratum_rows.sum() * stratum)
    return total / y.size, stratum


def unheard_shift(phases: Phases, m: np.ndarray, points: float, floor: float) -> float:
    """How far the mean falls if those called who did not answer are ``points`` below similar answerers.

    The called-but-silent stand for the same share of the whole stratum (the subsample is random).
    """
    silent = phases.called & ~phases.by_call
    if not phases.called.any():
        return 0.0
    drop = (m[silent] - np.maximum(m[silent] - points, floor)).sum() / phases.called.sum()
    return float(drop * (~phases.online).sum() / phases.online.size)
