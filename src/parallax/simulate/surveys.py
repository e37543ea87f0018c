"""Post-trip surveys: who is invited, who answers (the angriest least), when, and what they write.

Optionally a non-response follow-up (``SurveyModel.followup_share > 0``): two days after the invite a random
share of those who have not answered yet is phoned; an online answer that still comes later is kept instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.templates_service import COMMENTS
from parallax.simulate.text import TripText, pick, python_rng, render
from parallax.simulate.trips import Trips


@dataclass(frozen=True)
class Surveys:
    """One element per invite; ``nps`` is -1 where no NPS answer was given.

    ``answered`` is the online answer; ``by_phone`` an answer to the follow-up call (never both), and
    ``called`` says who was in the follow-up sample (all False without a follow-up).
    """

    trip: np.ndarray
    invited_h: np.ndarray
    answered: np.ndarray
    submitted_h: np.ndarray  # NaN when not answered (by the export)
    nps: np.ndarray
    comment: tuple[str, ...]
    called: np.ndarray
    by_phone: np.ndarray

    def __len__(self) -> int:
        return int(self.trip.size)


def response_probability(
    config: WorldConfig, csat: np.ndarray, expected: np.ndarray, tier: np.ndarray
) -> np.ndarray:
    """``sigmoid(base + a*(csat-3) + b*(expected-1) + tier)``: the angriest answer least.

    ``expected`` is the part of the experience the company's own records predict (delay, cancellation,
    ticket, cabin, tier, route): most of the pull, so a correction on those covariates can undo most of it.
    """
    s = config.survey
    logit = (
        s.respond_base
        + s.respond_per_csat * (csat - 3)
        + s.respond_per_expected * (expected - 1.0)
        + np.array(s.respond_tier)[tier]
    )
    return 1.0 / (1.0 + np.exp(-logit))


def followup_probability(config: WorldConfig, csat: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``sigmoid(base + a*(csat-3) + b*(expected-1))``: a call and an incentive reach most people, and the
    angriest still answer least (half the online slopes by default)."""
    s = config.survey
    logit = s.followup_base + s.followup_per_csat * (csat - 3) + s.followup_per_expected * (expected - 1.0)
    return 1.0 / (1.0 + np.exp(-logit))


@dataclass(frozen=True)
class FollowUp:
    called: np.ndarray
    by_phone: np.ndarray
    call_h: np.ndarray


def follow_up(
    config: WorldConfig,
    csat: np.ndarray,
    expected: np.ndarray,
    invited_h: np.ndarray,
    online: tuple[np.ndarray, np.ndarray],
    export_h: float,
    rng: np.random.Generator,
) -> FollowUp:
    """Phone a random share of those without an answer when the call is due (Hansen-Hurwitz subsample).

    Being called is independent of everything else, so the called who never answer online are a random
    sample of everyone who never answers online: what a two-phase estimator relies on.
    """
    s = config.survey
    answered, submitted = online
    call_h = invited_h + s.followup_after_h + rng.uniform(0.0, s.followup_spread_h, invited_h.size)
    call_h = np.round(call_h * 3600.0) / 3600.0
    due = ~(answered & (submitted <= call_h)) & (call_h < export_h)
    called = due & (rng.random(invited_h.size) < s.followup_share)
    picks_up = rng.random(invited_h.size) < followup_probability(config, csat, expected)
    return FollowUp(called, called & ~answered & picks_up, call_h)


def build_surveys(
    config: WorldConfig, trips: Trips, text: TripText, export_h: float, rng: np.random.Generator
) -> Surveys:
    s = config.survey
    invited = np.flatnonzero(rng.random(len(trips)) < s.invite_p)
    invited_h = trips.arrival_h[invited] + rng.uniform(*s.invite_lag_h, invited.size)
    invited_h = np.round(invited_h * 60.0) / 60.0
    csat, tier = trips.csat[invited], trips.tier[invited]
    chance = response_probability(config, csat, trips.mean_u[invited], tier)
    wants = rng.random(invited.size) < chance
    lag = rng.lognormal(np.log(s.answer_median_h), s.answer_sigma, invited.size)
    submitted = np.round((invited_h + lag) * 3600.0) / 3600.0
    answered = wants & (submitted < export_h) & (invited_h < export_h)
    keep = invited_h < export_h
    nps_raw = np.clip(np.round(2.2 * csat - 1.5 + rng.normal(0.0, 1.2, invited.size)), 0, 10)
    nps = np.where(answered & (rng.random(invited.size) < s.nps_share), nps_raw, -1).astype(int)
    comment_on = answered & (rng.random(invited.size) < s.comment_p)
    draw = python_rng(rng)
    comment_list = [""] * invited.size
    for k in np.flatnonzero(comment_on).tolist():
        comment_list[k] = _comment(trips, text, int(invited[k]), int(csat[k]), draw)
    comments = tuple(comment_list)
    # Drawn last, so a world with a follow-up has the same invites and online answers as one without.
    phone = FollowUp(np.zeros(invited.size, bool), np.zeros(invited.size, bool), submitted)
    if s.followup_share > 0:
        phone = follow_up(
            config, csat, trips.mean_u[invited], invited_h, (answered, submitted), export_h, rng
        )
        asks_nps = rng.random(invited.size) < s.nps_share
        nps = np.where(phone.by_phone & asks_nps, nps_raw, nps).astype(int)
    submitted = np.where(answered, submitted, np.where(phone.by_phone, phone.call_h, np.nan))
    return Surveys(
        trip=invited[keep],
        invited_h=invited_h[keep],
        answered=answered[keep],
        submitted_h=submitted[keep],
        nps=nps[keep],
        comment=tuple(c for c, k in zip(comments, keep.tolist(), strict=True) if k),
        called=phone.called[keep],
        by_phone=phone.by_phone[keep],
    )


def _comment(trips: Trips, text: TripText, trip: int, csat: int, rng: random.Random) -> str:
    if csat >= 4:
        kind = "good"
    elif csat == 3:
        kind = "neutral"
    elif trips.cancelled[trip]:
        kind = "bad_cancel"
    elif trips.baggage[trip]:
        kind = "bad_baggage"
    elif trips.delay_min[trip] >= 45:
        kind = "bad_delay"
    else:
        kind = "bad_general"
    return render(pick(COMMENTS[kind], rng), text.slots(trip, int(trips.customer[trip])))
