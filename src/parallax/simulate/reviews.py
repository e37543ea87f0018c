"""Reviews on app stores and travel sites: complainers who chose a review site, plus ordinary reviewers."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.templates_voice import REVIEW_BODIES, REVIEW_TITLES
from parallax.simulate.text import TripText, pick, python_rng, render
from parallax.simulate.trips import Trips
from parallax.simulate.voice import Utterance

PLATFORMS = ("tripadvisor", "google", "app_store")


@dataclass(frozen=True)
class Review:
    customer: int
    trip: int
    stars: int
    title: str
    text: str
    at_h: float
    platform: str
    show_route: bool


def build_reviews(
    config: WorldConfig,
    trips: Trips,
    voice: list[Utterance],
    text: TripText,
    export_h: float,
    rng: np.random.Generator,
) -> list[Review]:
    """Stars follow the true CSAT (+-1); people with something to say write more often than the content."""
    extremes = np.abs(trips.csat - 3.0) >= 2
    chance = config.voice.review_p * np.where(extremes, 1.5, 0.7)
    writers = np.flatnonzero(rng.random(len(trips)) < chance).tolist()
    draw = python_rng(rng)
    out = [_from_voice(u, draw) for u in voice if u.channel == "review"]
    spoke = {u.trip for u in voice if u.channel == "review"}
    for trip in writers:
        if trip in spoke:
            continue
        stars = min(5, max(1, int(trips.csat[trip]) + draw.randint(-1, 1)))
        slots = text.slots(trip, int(trips.customer[trip]))
        body = render(pick(REVIEW_BODIES[stars], draw), slots)
        at = float(trips.arrival_h[trip]) + draw.expovariate(1 / 30.0)
        out.append(
            Review(
                int(trips.customer[trip]),
                trip,
                stars,
                pick(REVIEW_TITLES[stars], draw),
                body,
                at,
                *_where(draw),
            )
        )
    out = [r for r in out if r.at_h < export_h]
    out.sort(key=lambda r: (r.at_h, r.trip))
    return out


def _from_voice(u: Utterance, rng: random.Random) -> Review:
    stars = rng.randint(4, 5) if u.category == "praise" else rng.randint(1, 2)
    return Review(u.customer, u.trip, stars, pick(REVIEW_TITLES[stars], rng), u.text, u.at_h, *_where(rng))


def _where(rng: random.Random) -> tuple[str, bool]:
    return rng.choices(PLATFORMS, weights=(0.45, 0.35, 0.2))[0], rng.random() < 0.6
