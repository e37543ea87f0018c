"""The simulator's flights.csv is the airline's flight-status feed: the stream's reader takes it as it is,
and it reports the same flights the stream replay judges (docs/realtime.md)."""

from __future__ import annotations

from pathlib import Path

from parallax.simulate import simulate_world, write_world
from parallax.stream.flight_feed import FlightStatusMessage, read_flights_csv
from parallax.stream.sim_replay import world_flight_statuses


def test_the_feed_reader_takes_every_simulated_flight_and_they_match_the_replay(tmp_path: Path) -> None:
    world = simulate_world(seed=5, days=3, customers=2000)
    write_world(world, tmp_path)
    messages, errors = read_flights_csv(tmp_path / "flights.csv", "acme")
    assert errors == []
    replayed = world_flight_statuses(world, "acme")
    assert len(messages) == len(replayed) > 100
    exported = [FlightStatusMessage.model_validate(m).to_status() for m in messages]
    assert [(s.flight, s.scheduled, s.cancelled) for s in exported] == [
        (s.flight, s.scheduled.replace(second=0, microsecond=0), s.cancelled) for s in replayed
    ]
    assert any(s.cancelled for s in exported)
    # Delays are whole minutes in the file; ids are unique, so a re-sent file counts once on the bus.
    pairs = zip(exported, replayed, strict=True)
    assert all(abs(e.delay_min - r.delay_min) <= 0.5 for e, r in pairs if not e.cancelled)
    assert len({m["message_id"] for m in messages}) == len(messages)
