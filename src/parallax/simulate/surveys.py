"""Post-trip surveys: who is invited, who answers (the angriest least), when, and what they write."""

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
    """One element per invite; ``nps`` is -1 where no NPS answer was given."""

    trip: np.ndarray
    invited_h: np.ndarray
    answered: np.ndarray
    submitted_h: np.ndarray  # NaN when not answered (by the export)
    nps: np.ndarray
    comment: tuple[str, ...]

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
    return Surveys(
        trip=invited[keep],
        invited_h=invited_h[keep],
        answered=answered[keep],
        submitted_h=np.where(answered, submitted, np.nan)[keep],
        nps=nps[keep],
        comment=tuple(c for c, k in zip(comments, keep.tolist(), strict=True) if k),
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
