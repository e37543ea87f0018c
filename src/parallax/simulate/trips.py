"""Trips and their true experience: flights, delays, cancellations, incidents, tickets, latent satisfaction.

All columnar and vectorised: one numpy array per attribute, one element per trip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.simulate.config import CABINS, TIERS, WorldConfig
from parallax.simulate.events import Disruption, PlantedFailure
from parallax.simulate.network import CABIN_MIX, ROUTE_CODES, ROUTES, Schedule, route_shares
from parallax.simulate.people import Customers

REF_ALPHABET = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", dtype=np.uint8)


@dataclass(frozen=True)
class FlightOps:
    """What happened to each scheduled flight instance."""

    delay_min: np.ndarray
    cancelled: np.ndarray
    storm: np.ndarray  # hit by the disruption window


@dataclass(frozen=True)
class Trips:
    """One element per trip (a customer on a flight); ``failure`` is the planted failure index or -1."""

    customer: np.ndarray
    flight: np.ndarray  # index into the schedule
    route: np.ndarray
    cabin: np.ndarray
    tier: np.ndarray
    departure_h: np.ndarray  # scheduled
    arrival_h: np.ndarray  # actual (scheduled + delay)
    delay_min: np.ndarray
    cancelled: np.ndarray
    disrupted: np.ndarray
    baggage: np.ndarray  # hidden incident: bag delayed or lost
    service: np.ndarray  # hidden incident: seat, crew, food
    ticket: np.ndarray  # opened a ticket (the company knows)
    failure: np.ndarray
    mean_u: np.ndarray  # the part of the experience the company could predict from what it records
    u: np.ndarray  # latent experience
    csat: np.ndarray  # true CSAT 1-5

    def __len__(self) -> int:
        return int(self.customer.size)

    @property
    def satisfied(self) -> np.ndarray:
        return self.csat >= 4


def flight_ops(
    config: WorldConfig, schedule: Schedule, disruption: Disruption, rng: np.random.Generator
) -> FlightOps:
    """Ordinary delays (55% on time, the rest lognormal), rare cancellations, then the storm on top."""
    n = len(schedule)
    late = rng.random(n) >= config.on_time_p
    delay = np.where(late, np.maximum(5.0, rng.lognormal(np.log(config.delay_median_min), 0.9, n)), 0.0)
    delay += rng.integers(0, 5, n) * ~late
    origin = np.array([r.origin for r in ROUTES])[schedule.route]
    destination = np.array([r.destination for r in ROUTES])[schedule.route]
    hit_airports = np.array(disruption.airports)
    leaves = np.isin(origin, hit_airports) & _inside(schedule.departure_h, disruption)
    reaches = np.isin(destination, hit_airports) & _inside(schedule.arrival_h, disruption)
    storm = leaves | reaches
    delay += storm * rng.lognormal(np.log(config.storm_delay_median_min), 0.55, n)
    cancel_p = np.where(storm, config.storm_cancel_p, config.base_cancel_p)
    cancelled = rng.random(n) < cancel_p
    return FlightOps(np.round(delay), cancelled, storm)


def _inside(hours: np.ndarray, disruption: Disruption) -> np.ndarray:
    return (hours >= disruption.start_h) & (hours < disruption.end_h)


def build_trips(
    config: WorldConfig,
    customers: Customers,
    schedule: Schedule,
    ops: FlightOps,
    failures: tuple[PlantedFailure, ...],
    rng: np.random.Generator,
) -> Trips:
    """Draw who flies when and where, then what they lived through (see docs/simulator.md)."""
    customer, route, flight = _bookings(config, customers, schedule, rng)
    n = customer.size
    tier = customers.tier[customer]
    cabin = _cabins(route, tier, rng)
    cancelled = ops.cancelled[flight]
    rebook = rng.lognormal(np.log(360.0), 0.5, n)
    delay = np.where(cancelled, np.round(rebook), ops.delay_min[flight])
    disrupted = ops.storm[flight] | cancelled
    failure, fail_pen, fail_bag = _failures(failures, route, cabin, tier)
    baggage = rng.random(n) < config.baggage_p + 0.04 * ops.storm[flight] + fail_bag
    service = rng.random(n) < config.service_p
    ticket = rng.random(n) < _ticket_p(config, baggage | service, cancelled, delay)
    mean_u = _observable_u(config, route, cabin, tier, delay, disrupted, cancelled, ticket, rng)
    hidden = config.experience.baggage * baggage + config.experience.service * service + fail_pen
    u = mean_u - hidden + rng.normal(0.0, config.experience.noise_sd, n)
    csat = 1 + np.searchsorted(np.array(config.experience.csat_cuts), u)
    return Trips(
        customer=customer,
        flight=flight,
        route=route,
        cabin=cabin,
        tier=tier,
        departure_h=schedule.departure_h[flight],
        arrival_h=schedule.arrival_h[flight] + delay / 60.0,
        delay_min=delay.astype(int),
        cancelled=cancelled,
        disrupted=disrupted,
        baggage=baggage,
        service=service,
        ticket=ticket,
        failure=failure,
        mean_u=mean_u,
        u=u,
        csat=csat.astype(int),
    )


def _bookings(
    config: WorldConfig, customers: Customers, schedule: Schedule, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who flies (Poisson per customer), which day, which route (by demand), which departure."""
    counts = rng.poisson(customers.rate * config.days)
    customer = np.repeat(np.arange(len(customers)), counts)
    n = customer.size
    day = rng.integers(0, config.days, n)
    route = rng.choice(len(ROUTES), size=n, p=route_shares())
    offsets = np.cumsum(schedule.per_route_day) - schedule.per_route_day
    slot = (rng.random(n) * schedule.per_route_day[route]).astype(int)
    flight = day * int(schedule.per_route_day.sum()) + offsets[route] + slot
    return customer, route, flight


def _cabins(route: np.ndarray, tier: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Cabin by route type; gold and platinum members sit further forward (upgrades, corporate fares)."""
    long_haul = np.array([r.long_haul for r in ROUTES])[route]
    probs = np.where(long_haul[:, None], CABIN_MIX[True], CABIN_MIX[False])
    shift = np.array([0.0, 0.02, 0.06, 0.12])[tier]
    probs = probs + np.stack([-shift, np.zeros_like(shift), shift], axis=1)
    return (rng.random(route.size)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1).clip(0, 2)


def _failures(
    failures: tuple[PlantedFailure, ...], route: np.ndarray, cabin: np.ndarray, tier: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    which = np.full(route.size, -1)
    penalty = np.zeros(route.size)
    baggage = np.zeros(route.size)
    for index, failure in enumerate(failures):
        mask = segment_mask(failure.as_dict(), route, cabin, tier)
        which[mask] = index
        penalty += mask * failure.penalty
        baggage += mask * failure.baggage_p
    return which, penalty, baggage


def segment_mask(
    segment: dict[str, str], route: np.ndarray, cabin: np.ndarray, tier: np.ndarray
) -> np.ndarray:
    """Trips inside a segment; ``airport`` is the departure airport (check-in, bags, lounge)."""
    mask = np.ones(route.size, dtype=bool)
    origin = np.array([r.origin for r in ROUTES])
    for key, value in segment.items():
        if key == "airport":
            mask &= origin[route] == value
        elif key == "route":
            mask &= route == ROUTE_CODES.index(value)
        elif key == "cabin":
            mask &= cabin == CABINS.index(value)
        elif key == "loyalty_tier":
            mask &= tier == TIERS.index(value)
        else:
            raise ValueError(f"unknown segment attribute {key!r}")
    return mask


def _ticket_p(
    config: WorldConfig, incident: np.ndarray, cancelled: np.ndarray, delay: np.ndarray
) -> np.ndarray:
    t = config.tickets
    stay_quiet = (
        (1 - t.base_p)
        * (1 - t.incident_p * incident)
        * (1 - t.cancelled_p * cancelled)
        * (1 - t.long_delay_p * (delay >= 180))
    )
    return 1 - stay_quiet


def _observable_u(
    config: WorldConfig,
    route: np.ndarray,
    cabin: np.ndarray,
    tier: np.ndarray,
    delay: np.ndarray,
    disrupted: np.ndarray,
    cancelled: np.ndarray,
    ticket: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    e = config.experience
    route_effect = rng.normal(0.0, e.route_sd, len(ROUTES))
    return (
        e.base
        + np.array(e.cabin)[cabin]
        + np.array(e.tier)[tier]
        + route_effect[route]
        - e.delay_k * np.log1p(delay / 30.0)
        - e.disrupted * disrupted
        - e.cancelled * cancelled
        - e.ticket * ticket
    )


def booking_refs(n: int, seed: int) -> np.ndarray:
    """Unique six-character refs like "K7QX2M": an affine bijection of the trip index, base 32."""
    space = 32**6
    value = (np.arange(n, dtype=np.int64) * 387_420_489 + (seed * 2_654_435_761) % space) % space
    digits = (value[:, None] // (32 ** np.arange(5, -1, -1))) % 32
    return REF_ALPHABET[digits].astype(np.uint8).view("S6").ravel().astype(str)
