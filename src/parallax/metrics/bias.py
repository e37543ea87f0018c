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
part alone (Hajek mean ``sum w*y / sum w``). The intervals are analytic (influence functions with the fitted
models held fixed, ``bias_interval.py``): the same answers give the same interval wherever they are shown.
``refit=True`` bootstraps instead, refitting both models in each of ``samples`` draws (AIPW only).

Both parts assume answering at random *given* the covariates; a pull that depends on the unobserved score
itself beyond them stays, and docs/metrics.md measures how much of it that leaves in the simulator. So the
result also carries a sensitivity band: the figure if those not heard from were k points less satisfied
than similar people who answered.

When some invitees are marked ``followed_up`` (a random subsample of the non-respondents re-contacted by a
follow-up wave), the correction is two-phase instead (``twophase``): online answers count as they are and
the non-respondents' mean comes from the follow-up answers, which needs no assumption about why people
skipped the online survey, only that answering the follow-up is at random given the covariates.

Example:
    >>> hit, calm = {"disrupted": True}, {"disrupted": False}
    >>> invitees = [Invitee(hit, False, None)] * 30 + [Invitee(hit, True, 2.0)] * 10
    >>> invitees += [Invitee(calm, True, 5.0)] * 40 + [Invitee(calm, False, None)] * 20
    >>> r = correct_csat(invitees, samples=50)
    >>> r.naive, 58 < r.corrected < r.ipw < 70  # 60 in truth; both models are regularised
    (80.0, True)

A follow-up phones half of the 50 who did not answer. The calm ones turn out half unhappy (answering was not
at random given the records), so in truth 50 % are satisfied; two-phase finds it, AIPW could not:

    >>> phoned = [Invitee(calm, True, 5.0, True)] * 4 + [Invitee(calm, True, 2.0, True)] * 4
    >>> phoned += [Invitee(calm, False, None, True)] * 2 + [Invitee(hit, True, 2.0, True)] * 10
    >>> phoned += [Invitee(hit, False, None, True)] * 5
    >>> not_phoned = [Invitee(hit, False, None)] * 15 + [Invitee(calm, False, None)] * 10
    >>> answered = [i for i in invitees if i.responded]
    >>> r = correct_csat(answered + not_phoned + phoned, samples=50)
    >>> r.method, r.naive, 45 < r.corrected < 55, r.followup_responded
    ('two_phase', 80.0, True, 18)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parallax.metrics.bias_design import design_matrix
from parallax.metrics.bias_interval import aipw_influence, mean_influence, two_phase_influence, wald
from parallax.metrics.bias_models import outcome, propensity
from parallax.metrics.twophase import Phases, fit_two_phase, two_phase_mean, unheard_shift

MIN_ANSWERS = 10  # answers and non-answers needed for a model (online; and in the follow-up for two-phase)
SENSITIVITY_POINTS = (5.0, 10.0)  # the "k points less satisfied" of the sensitivity band
AT_RANDOM = "assumes answering at random given the records (no follow-up wave to check it)"
FOLLOW_UP = "two-phase: assumes only that answering the follow-up is at random given the records"


@dataclass(frozen=True)
class Invitee:
    """One invitation: what is known about the person and trip, whether they answered, and the answer.

    ``followed_up``: in the follow-up sample (re-contacted at random among those with no online answer);
    ``responded`` then means answered the follow-up.
    """

    features: Mapping[str, str | float | bool]
    responded: bool
    score: float | None
    followed_up: bool = False


@dataclass(frozen=True)
class BiasCorrection:
    metric: str
    naive: float  # online answers only when there is a follow-up: what the survey says
    naive_ci: tuple[float, float]
    corrected: float
    corrected_ci: tuple[float, float]
    invited: int
    responded: int  # online answers
    note: str = ""
    ipw: float | None = None  # the inverse-probability-weighted mean alone (no outcome model)
    method: str = "aipw"  # or "two_phase"
    assumption: str = AT_RANDOM
    # (k, corrected figure if those not heard from are k points below similar answerers)
    sensitivity: tuple[tuple[float, float], ...] = ()
    followed_up: int = 0
    followup_responded: int = 0
    # two-phase: how far non-respondents fall below what the online answers predict for them (points)
    nonrespondent_gap: float | None = None
    # two-phase: corrected_ci widened down by the band at k = nonrespondent_gap (the silent stay as far
    # below the follow-up answers as those are below the online ones)
    corrected_ci_with_gap: tuple[float, float] | None = None


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
    """Naive and corrected means with 95 % intervals: two-phase with a follow-up, else AIPW.

    ``refit=False`` (every page, report and API call): influence-function intervals conditional on the
    fitted models, no draws, so ``samples`` and ``seed`` play no part. ``refit=True`` refits both models in
    each of ``samples`` bootstrap draws from ``seed`` (slower, a little wider; AIPW only).
    """
    answered = np.array([i.responded and i.score is not None for i in invitees])
    called = np.array([i.followed_up for i in invitees])
    x = design_matrix([i.features for i in invitees])
    y = np.array([value(i.score) if i.score is not None else 0.0 for i in invitees])
    phases = Phases(answered & ~called, called, answered & called)
    _require(phases.online, f"{phases.online.sum()} answers of {len(invitees)}")
    heard = phases.by_call.sum()
    if _enough(heard) and called.sum() - heard >= 2:  # both outcomes of the follow-up, for its propensity
        return _two_phase(x, y, phases, value(0.0), metric)
    note = "" if not called.any() else f"follow-up too small ({heard} of {called.sum()} answered): not used"
    return _aipw(x, y, phases.online, value(0.0), metric, samples, seed, refit, note)


def _enough(count: int) -> bool:
    return int(count) >= MIN_ANSWERS


def _require(online: np.ndarray, got: str) -> None:
    if not _enough(online.sum()) or not _enough((~online).sum()):
        raise ValueError(f"need at least {MIN_ANSWERS} answers and {MIN_ANSWERS} non-answers, got {got}")


def _aipw(
    x: np.ndarray,
    y: np.ndarray,
    answered: np.ndarray,
    floor: float,
    metric: str,
    samples: int,
    seed: int,
    refit: bool,
    note: str,
) -> BiasCorrection:
    everyone = np.ones(answered.size, bool)
    p, m = propensity(x, everyone, answered), outcome(x[answered], y[answered], x)
    naive, ipw, corrected = _estimates(p, m, answered, y)
    bounds = (floor, 100.0)
    if refit:
        naive_ci, corrected_ci = _refit_bootstrap(x, y, answered, samples, seed)
    else:
        naive_ci = wald(naive, mean_influence(y, answered), bounds)
        corrected_ci = wald(corrected, aipw_influence(p, m, answered, y), bounds)
    silent = ~answered
    shifts = [
        (k, float((m[silent] - np.maximum(m[silent] - k, floor)).sum()) / y.size) for k in SENSITIVITY_POINTS
    ]
    return BiasCorrection(
        metric=metric,
        naive=round(naive, 4),
        naive_ci=naive_ci,
        corrected=round(corrected, 4),
        corrected_ci=corrected_ci,
        invited=answered.size,
        responded=int(answered.sum()),
        note=note,
        ipw=round(ipw, 4),
        sensitivity=tuple((k, round(corrected - shift, 4)) for k, shift in shifts),
    )


def _refit_bootstrap(
    x: np.ndarray, y: np.ndarray, answered: np.ndarray, samples: int, seed: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Percentile intervals (answers' mean, AIPW) from ``samples`` draws that refit both models."""
    everyone = np.ones(answered.size, bool)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(samples):
        idx = rng.integers(0, answered.size, answered.size)
        a = answered[idx]
        if a.sum() < 2 or a.all():
            continue
        p_draw, m_draw = propensity(x[idx], everyone, a), outcome(x[idx][a], y[idx][a], x[idx])
        draws.append(_estimates(p_draw, m_draw, a, y[idx]))
    arr = np.array(draws)
    return _interval(arr[:, 0]), _interval(arr[:, 2])


def _two_phase(x: np.ndarray, y: np.ndarray, phases: Phases, floor: float, metric: str) -> BiasCorrection:
    fit = fit_two_phase(x, y, phases)
    corrected, stratum = two_phase_mean(y, phases, fit.p, fit.m)
    online = phases.online
    bounds = (floor, 100.0)
    gap = float(fit.m_online[~online].mean() - stratum)
    influence = two_phase_influence(fit.p, fit.m, online, phases.by_call, y)
    ci = wald(corrected, influence, bounds)
    band = unheard_shift(phases, fit.m, max(gap, 0.0), floor)
    naive = float(y[online].mean())
    return BiasCorrection(
        metric=metric,
        naive=round(naive, 4),
        naive_ci=wald(naive, mean_influence(y, online), bounds),
        corrected=round(corrected, 4),
        corrected_ci=ci,
        invited=y.size,
        responded=int(online.sum()),
        method="two_phase",
        assumption=FOLLOW_UP,
        sensitivity=tuple(
            (k, round(corrected - unheard_shift(phases, fit.m, k, floor), 4)) for k in SENSITIVITY_POINTS
        ),
        followed_up=int(phases.called.sum()),
        followup_responded=int(phases.by_call.sum()),
        nonrespondent_gap=round(gap, 4),
        corrected_ci_with_gap=(round(ci[0] - band, 4), ci[1]),
    )


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def _estimates(
    p: np.ndarray, m: np.ndarray, answered: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """(naive mean of the answers, Hajek IPW mean, AIPW mean) for one set of invitees."""
    w = 1.0 / p[answered]
    ipw = float((w * y[answered]).sum() / w.sum())
    aipw = float(m.mean() + (w * (y[answered] - m[answered])).sum() / w.sum())
    return float(y[answered].mean()), ipw, aipw
