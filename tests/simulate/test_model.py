"""The pieces of the model, one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.simulate import World, WorldConfig
from parallax.simulate.network import ROUTES
from parallax.simulate.surveys import response_probability
from parallax.simulate.trips import REF_ALPHABET, booking_refs, segment_mask
from parallax.simulate.voice import speak_probability


def test_booking_refs_are_unique_six_character_codes() -> None:
    refs = booking_refs(200_000, seed=3)
    assert len(set(refs.tolist())) == refs.size
    alphabet = set(REF_ALPHABET.tobytes().decode())
    assert all(len(r) == 6 and set(r) <= alphabet for r in refs[:1000].tolist())
    assert booking_refs(10, seed=3).tolist() != booking_refs(10, seed=4).tolist()


def test_response_probability_rises_with_satisfaction() -> None:
    config = WorldConfig()
    csat = np.arange(1, 6)
    p = response_probability(config, csat, np.ones(5), np.zeros(5, dtype=int))
    assert (np.diff(p) > 0).all()
    worse_trip = response_probability(config, np.full(5, 3), np.linspace(-1, 1, 5), np.zeros(5, dtype=int))
    assert (np.diff(worse_trip) > 0).all()


def test_the_disrupted_and_the_angry_speak_up_more(world: World) -> None:
    p = speak_probability(world.config, world.trips, world.customers)
    t = world.trips
    assert p[t.disrupted].mean() > 2 * p[~t.disrupted].mean()
    assert p[t.csat <= 2].mean() > 3 * p[t.csat >= 4].mean()


def test_segment_mask_reads_each_attribute(world: World) -> None:
    t = world.trips
    business = segment_mask({"cabin": "business"}, t.route, t.cabin, t.tier)
    assert business.sum() == (t.cabin == 2).sum()
    both = segment_mask({"cabin": "business", "loyalty_tier": "gold"}, t.route, t.cabin, t.tier)
    assert both.sum() == ((t.cabin == 2) & (t.tier == 2)).sum()
    with pytest.raises(ValueError, match="unknown segment attribute"):
        segment_mask({"seat": "1A"}, t.route, t.cabin, t.tier)


def test_schedule_flight_numbers_repeat_daily_and_differ_within_a_day(world: World) -> None:
    s = world.schedule
    first_day = s.number[s.day == 0]
    assert len(set(first_day.tolist())) == first_day.size
    assert (s.number[s.day == 1] == first_day).all()
    assert (s.arrival_h > s.departure_h).all()


def test_storm_flights_are_inside_the_window_at_storm_airports(world: World) -> None:
    d, s = world.disruption, world.schedule
    for k in np.flatnonzero(world.ops.storm).tolist():
        route = ROUTES[int(s.route[k])]
        leaves = route.origin in d.airports and d.start_h <= s.departure_h[k] < d.end_h
        reaches = route.destination in d.airports and d.start_h <= s.arrival_h[k] < d.end_h
        assert leaves or reaches
    assert world.ops.storm.any()


@pytest.mark.parametrize("kwargs", [{"days": 0}, {"customers": 10}])
def test_config_refuses_empty_worlds(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        WorldConfig(**kwargs)  # type: ignore[arg-type]
