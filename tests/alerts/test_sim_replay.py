"""Judging a replayed world: the complaint-onset clock, minute slices, delays and the benchmark table."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import numpy as np

from parallax.stream.sim_replay import AlertSeen, ReplayResult, _by_minute, markdown, storm_effect

START = datetime(2026, 3, 2)


def _world(complaints: list[tuple[float, int, int]]) -> SimpleNamespace:
    """Two flights (the first hit by the storm), one trip each; complaints are (hour, trip, repeat)."""
    voice = [SimpleNamespace(at_h=h, trip=trip, repeat=repeat) for h, trip, repeat in complaints]
    return SimpleNamespace(
        ops=SimpleNamespace(storm=np.array([True, False])),
        trips=SimpleNamespace(flight=np.array([0, 1])),
        disruption=SimpleNamespace(start_h=10.0, end_h=20.0),
        config=SimpleNamespace(start=START),
        voice=voice,
    )


def test_storm_effect_is_when_the_storm_hit_complaints_began() -> None:
    early = [(8.0, 0, 0)]  # one straggler before the wave
    wave = [(18.0 + i / 100, 0, 0) for i in range(40)]
    noise = [(12.0, 1, 0), (15.0, 0, 1)]  # an unaffected trip, and a follow-up message
    effect = storm_effect(_world(early + wave + noise), timedelta(hours=3), timedelta(hours=6))
    assert effect == START + timedelta(hours=18.01)  # the 5th percentile of 41 first complaints: the 3rd
    assert storm_effect(_world(noise[:1]), timedelta(hours=3), timedelta(hours=6)) is None


def test_payloads_are_sliced_by_simulated_minute() -> None:
    times = [START, START + timedelta(seconds=59), START + timedelta(seconds=61), START + timedelta(hours=2)]
    slices = _by_minute([{"occurred_at": t} for t in times])
    assert [len(s) for s in slices] == [2, 1, 1]


def test_delays_false_alerts_and_table() -> None:
    onset, effect = START + timedelta(hours=10), START + timedelta(hours=18)
    alerts = (
        AlertSeen(START + timedelta(hours=2), "negative", None, (), False),
        AlertSeen(START + timedelta(hours=18, minutes=7), "topic:delays", "delays", ("CDG",), True),
        AlertSeen(START + timedelta(hours=30), "topic:in_flight|route:AMS-LHR", "in_flight", (), False, True),
    )
    result = ReplayResult(onset, onset + timedelta(hours=10), 14.0, 100, alerts, effect)
    assert result.detection_delay == timedelta(hours=8, minutes=7)
    assert result.effect_delay == timedelta(minutes=7)
    assert [a.verdict for a in alerts] == ["false", "storm", "planted failure"]
    assert result.false_alerts == 1 and result.false_per_week == 0.5
    table = markdown("parallax eval stream-sim --seed 7", [(7, ("AMS", "CDG"), result)])
    assert "| 7 | AMS, CDG | 03-02 10:00 | 03-02 18:00 | +487 min | +7 min | 1 | 0.5 |" in table
    # the key's own bar is escaped, or the row would have a column too many
    assert "| 7 | 2026-03-03 06:00 | topic:in_flight\\|route:AMS-LHR |  | planted failure |" in table
    silent = ReplayResult(onset, onset, 7.0, 0, (), None)
    assert silent.detection_delay is None and silent.effect_delay is None
