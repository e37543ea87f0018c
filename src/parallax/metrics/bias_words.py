"""How a survey correction was made, in words: the method, what it assumes and how far it could move.

One wording for every reader (the terminal report and the web survey page), so the two never disagree.

Example:
    >>> gap_words(3.8), gap_words(-3.8)
    ('3.8 points below', '3.8 points above')
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.metrics.bias import BiasCorrection

METRIC_NAMES = {"csat_satisfied_pct": "CSAT % satisfied", "nps": "NPS"}
METHOD_NAMES = {
    "aipw": "AIPW (doubly robust weighting, no follow-up)",
    "two_phase": "two-phase (non-response follow-up)",
}


@dataclass(frozen=True)
class HowCorrected:
    """One corrected figure's method, assumption, sensitivity band and (two-phase) follow-up, as text."""

    metric: str
    method: str
    assumption: str
    band: str  # the figure if those not heard from are k points less satisfied, for each k
    followup: str  # two-phase only: who answered the follow-up and the non-respondent gap it measured
    widened: str  # two-phase only: the interval if the follow-up's own silent lag as far again


def gap_words(gap: float, digits: int = 1) -> str:
    """A measured gap as a distance and a direction: a negative gap is *above*, never "-3.8 points below"."""
    return f"{abs(gap):.{digits}f} points {'below' if gap >= 0 else 'above'}"


def band_words(r: BiasCorrection) -> str:
    """``5 points lower: 63.1, 10 points lower: 58.0``."""
    return ", ".join(f"{k:g} points lower: {v:.1f}" for k, v in r.sensitivity)


def followup_words(r: BiasCorrection) -> str:
    if r.nonrespondent_gap is None:
        return ""
    return (
        f"{r.followup_responded:,} of {r.followed_up:,} followed up answered, "
        f"{gap_words(r.nonrespondent_gap)} similar online answers"
    )


def widened_words(r: BiasCorrection) -> str:
    """The interval widened for the follow-up's own silent; not widened when the follow-up sat above."""
    if r.nonrespondent_gap is None or r.corrected_ci_with_gap is None:
        return ""
    interval = f"[{r.corrected_ci_with_gap[0]:.1f}, {r.corrected_ci_with_gap[1]:.1f}]"
    if r.nonrespondent_gap < 0:
        # the widening uses max(gap, 0): a follow-up happier than the online answers is no reason to lower it
        return f"the follow-up sits above the online answers, so the interval is not widened: {interval}"
    return f"if the silent are as far below again: {interval}"


def how_corrected(r: BiasCorrection) -> HowCorrected:
    return HowCorrected(
        metric=METRIC_NAMES.get(r.metric, r.metric),
        method=METHOD_NAMES.get(r.method, r.method),
        assumption=r.assumption,
        band=band_words(r),
        followup=followup_words(r),
        widened=widened_words(r),
    )
