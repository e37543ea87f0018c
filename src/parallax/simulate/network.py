"""The airline's network: real IATA airports, directional routes, and the daily flight schedule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import WorldConfig


@dataclass(frozen=True)
class Airport:
    code: str
    city: str


@dataclass(frozen=True)
class Route:
    origin: str
    destination: str
    weight: float  # relative demand
    block_min: int
    long_haul: bool

    @property
    def code(self) -> str:
        return f"{self.origin}-{self.destination}"


AIRPORTS: tuple[Airport, ...] = (
    Airport("LHR", "London"),
    Airport("JFK", "New York"),
    Airport("CDG", "Paris"),
    Airport("AMS", "Amsterdam"),
    Airport("MAD", "Madrid"),
    Airport("DUB", "Dublin"),
    Airport("FCO", "Rome"),
    Airport("BCN", "Barcelona"),
    Airport("EDI", "Edinburgh"),
)
CITY = {a.code: a.city for a in AIRPORTS}

# (a, b, weight per direction, block minutes, long haul)
_PAIRS: tuple[tuple[str, str, float, int, bool], ...] = (
    ("LHR", "JFK", 1.6, 470, True),
    ("LHR", "CDG", 1.2, 75, False),
    ("LHR", "AMS", 1.1, 75, False),
    ("LHR", "MAD", 1.0, 140, False),
    ("LHR", "DUB", 1.0, 80, False),
    ("LHR", "FCO", 0.8, 155, False),
    ("LHR", "EDI", 0.9, 85, False),
    ("DUB", "JFK", 0.7, 450, True),
    ("AMS", "BCN", 0.7, 130, False),
    ("MAD", "FCO", 0.6, 150, False),
)
ROUTES: tuple[Route, ...] = tuple(
    route
    for a, b, w, block, long_haul in _PAIRS
    for route in (Route(a, b, w, block, long_haul), Route(b, a, w, block, long_haul))
)
ROUTE_CODES: tuple[str, ...] = tuple(r.code for r in ROUTES)
AIRPORT_CODES: tuple[str, ...] = tuple(a.code for a in AIRPORTS)
CABIN_MIX = {False: (0.8, 0.12, 0.08), True: (0.66, 0.17, 0.17)}


def route_shares() -> np.ndarray:
    weights = np.array([r.weight for r in ROUTES])
    return weights / weights.sum()


@dataclass(frozen=True)
class Schedule:
    """One row per flight instance (day x route x departure); times are hours since the world's start."""

    route: np.ndarray
    day: np.ndarray
    number: np.ndarray  # flight number without the carrier code, e.g. 1204
    departure_h: np.ndarray
    arrival_h: np.ndarray
    per_route_day: np.ndarray  # departures per day, indexed by route

    def flight_codes(self) -> np.ndarray:
        return np.char.add("PX", self.number.astype(str))

    def __len__(self) -> int:
        return int(self.route.size)


def build_schedule(config: WorldConfig, rng: np.random.Generator) -> Schedule:
    """Enough daily departures per route for the expected demand, at fixed times every day."""
    daily_trips = config.customers * config.trip_rate * _tier_rate_mean(config) * route_shares()
    # customers are a sample of the passengers: a real timetable has a few departures a day at least
    timetable = np.array([round(2 + 3 * r.weight) for r in ROUTES])
    needed = np.ceil(daily_trips / (config.seats_per_flight * 0.8))
    per_day = np.clip(np.maximum(timetable, needed), 1, 19).astype(int)
    routes: list[int] = []
    numbers: list[int] = []
    dep_min: list[float] = []
    for index, count in enumerate(per_day):
        times = np.sort(rng.uniform(6 * 60, 21.5 * 60, size=count)).round(-1) / 60.0
        routes.extend([index] * count)
        numbers.extend(100 + index * 20 + k for k in range(count))
        dep_min.extend(times.tolist())
    route_arr, number_arr, dep_arr = np.array(routes), np.array(numbers), np.array(dep_min)
    days = np.arange(config.days)
    route = np.tile(route_arr, config.days)
    day = np.repeat(days, route_arr.size)
    departure = day * 24.0 + np.tile(dep_arr, config.days)
    block_h = np.array([r.block_min for r in ROUTES])[route] / 60.0
    return Schedule(route, day, np.tile(number_arr, config.days), departure, departure + block_h, per_day)


def _tier_rate_mean(config: WorldConfig) -> float:
    return float(np.dot(config.tier_p, config.tier_rate))
