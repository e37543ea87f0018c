"""What goes wrong: one disruption window (a storm) and a few planted failures hidden in fine averages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import WorldConfig
from parallax.simulate.network import AIRPORT_CODES, ROUTES, route_shares


@dataclass(frozen=True)
class Disruption:
    """Flights leaving or reaching ``airports`` inside [start_h, end_h) are delayed or cancelled."""

    kind: str
    start_h: float
    end_h: float
    airports: tuple[str, ...]

    @property
    def routes(self) -> tuple[str, ...]:
        return tuple(r.code for r in ROUTES if r.origin in self.airports or r.destination in self.airports)


@dataclass(frozen=True)
class PlantedFailure:
    """A segment whose true experience is degraded by ``penalty`` (latent units) and extra baggage losses."""

    segment: tuple[tuple[str, str], ...]  # (attribute, value) pairs: airport, route, cabin, loyalty_tier
    cause: str
    penalty: float
    baggage_p: float = 0.0

    def as_dict(self) -> dict[str, str]:
        return dict(self.segment)


def choose_disruption(config: WorldConfig, rng: np.random.Generator) -> Disruption:
    """A storm of 18-30 hours over two airports, starting between a quarter and 60% into the window."""
    horizon = config.days * 24.0
    start = float(np.round(rng.uniform(0.25, 0.6) * horizon, 1))
    end = float(min(horizon, start + np.round(rng.uniform(18.0, 30.0), 1)))
    picked = rng.choice(len(AIRPORT_CODES), size=2, replace=False)
    airports = tuple(sorted(AIRPORT_CODES[i] for i in picked))
    return Disruption("storm", start, end, airports)


def origin_shares() -> dict[str, float]:
    shares = route_shares()
    out = dict.fromkeys(AIRPORT_CODES, 0.0)
    for route, share in zip(ROUTES, shares, strict=True):
        out[route.origin] += float(share)
    return out


def plant_failures(rng: np.random.Generator, disruption: Disruption) -> tuple[PlantedFailure, ...]:
    """Two single-attribute failures and two two-way ones, away from the storm where the network allows.

    Each is big enough to be measured in a default week, small enough not to move the overall average.
    """
    calm = [a for a in AIRPORT_CODES if a not in disruption.airports]
    by_share = origin_shares()
    mid = [a for a in calm if 0.06 <= by_share[a] <= 0.15]
    baggage_airport = str(rng.choice(mid))
    lounge_airport = str(rng.choice([a for a in mid if a != baggage_airport]))
    avoid = (*disruption.airports, baggage_airport)
    short = [r for r in ROUTES if not r.long_haul and baggage_airport not in (r.origin, r.destination)]
    quiet = [r.code for r in short if {r.origin, r.destination}.isdisjoint(avoid)] or [r.code for r in short]
    long_haul = [r.code for r in ROUTES if r.long_haul and "LHR" in (r.origin, r.destination)]
    return (
        PlantedFailure((("airport", baggage_airport),), "baggage handling backlog", 0.45, baggage_p=0.25),
        PlantedFailure((("route", str(rng.choice(quiet))),), "older aircraft swapped in", 0.6),
        PlantedFailure(
            (("route", str(rng.choice(long_haul))), ("cabin", "business")), "broken lie-flat seats", 1.0
        ),
        PlantedFailure(
            (("airport", lounge_airport), ("loyalty_tier", "gold")), "lounge access refused to gold", 0.8
        ),
    )
