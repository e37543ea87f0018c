"""Judging a replayed world: the complaint-onset clock, minute slices, delays and the benchmark table."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import numpy as np

from parallax.alerts.flight_status import FlightStatus
from parallax.stream.sim_replay import (
    AlertSeen,
    OpsSeen,
    ReplayResult,
    _by_minute,
    chance_match,
    markdown,
    replay_ops,
    storm_effect,
    storm_hit_report,
    world_flight_statuses,
)

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
    assert "| 7 | AMS, CDG | 03-02 10:00 | 03-02 18:00 | +487 min | +7 min | 1 | 0.5 | 0 | 0 of 0 |" in table
    # the key's own bar is escaped, or the row would have a column too many
    assert "| 7 | 2026-03-03 06:00 | topic:in_flight\\|route:AMS-LHR |  | planted failure |" in table
    silent = ReplayResult(onset, onset, 7.0, 0, (), None)
    assert silent.detection_delay is None and silent.effect_delay is None


def _ops_world() -> SimpleNamespace:
    """Three scheduled flights: AMS-LHR at 06:00 (cancelled, storm), LHR-AMS at 05:00, CDG-LHR at 07:00."""
    from parallax.simulate.network import ROUTE_CODES

    routes = np.array([ROUTE_CODES.index(r) for r in ("AMS-LHR", "LHR-AMS", "CDG-LHR")])
    schedule = SimpleNamespace(
        route=routes,
        departure_h=np.array([6.0, 5.0, 7.0]),
        flight_codes=lambda: np.array(["PX1", "PX2", "PX3"]),
    )
    ops = SimpleNamespace(
        delay_min=np.array([0.0, 150.0, 10.0]),
        cancelled=np.array([True, False, False]),
        storm=np.array([True, True, False]),
    )
    return SimpleNamespace(schedule=_Sized(schedule, 3), ops=ops, config=SimpleNamespace(start=START))


class _Sized(SimpleNamespace):
    def __init__(self, inner: SimpleNamespace, n: int) -> None:
        super().__init__(**vars(inner))
        self._n = n

    def __len__(self) -> int:
        return self._n


def test_the_flight_status_feed_reports_every_flight_at_its_departure() -> None:
    world = _ops_world()
    statuses = world_flight_statuses(world)
    assert [s.flight for s in statuses] == ["PX2", "PX1", "PX3"]  # in time order
    assert statuses[0].scheduled == START + timedelta(hours=5) and statuses[0].delay_min == 150.0
    assert (statuses[1].origin, statuses[1].destination, statuses[1].cancelled) == ("AMS", "LHR", True)
    assert storm_hit_report(world) == START + timedelta(hours=5)  # the earlier of the two storm flights


def test_ops_alerts_are_judged_on_the_storms_airports_and_window() -> None:
    def burst(origin: str, at: datetime) -> list[FlightStatus]:
        return [
            FlightStatus("acme", f"PX{i}", origin, "LHR", at + timedelta(minutes=i), 0, True)
            for i in range(5)
        ]

    storm_at = START + timedelta(hours=30)
    window = (START + timedelta(hours=27), START + timedelta(hours=60))
    calm = [  # punctual flights at LHR in between: its first run ends
        FlightStatus("acme", f"PX{100 + i}", "DUB", "LHR", START + timedelta(hours=12, minutes=10 * i))
        for i in range(20)
    ]
    feed = burst("FCO", START + timedelta(hours=10)) + calm + burst("AMS", storm_at)
    seen = replay_ops(feed, {"AMS"}, window)
    by_airport = {(o.airport, o.at.hour): o.verdict for o in seen}
    # FCO's burst is before the window; AMS's is the storm, and LHR's second alert names AMS flights
    assert by_airport == {
        ("FCO", 10): "false",
        ("LHR", 10): "false",
        ("AMS", 6): "storm",
        ("LHR", 6): "storm",
    }
    onset = START + timedelta(hours=29)
    result = ReplayResult(onset, onset, 7.0, 0, (), None, seen, onset - timedelta(minutes=30))
    assert result.ops_false == 2 and result.ops_delay == timedelta(minutes=63)
    assert result.ops_hit_delay == timedelta(minutes=93)
    table = markdown("parallax eval stream-sim --seed 7", [(7, ("AMS", "CDG"), result)])
    assert "| 7 | 03-03 04:30 | 03-03 06:03 | +63 min | +93 min | 2 |" in table
    named = ", ".join(f"PX{i} AMS-LHR cancelled" for i in range(4))  # the run so far: the burst's first four
    assert f"| 7 | 2026-03-03 06:03 | AMS | {named} | storm |" in table


def test_the_first_alert_of_either_input_is_timed_from_the_complaints() -> None:
    onset = START + timedelta(hours=20)
    effect = onset + timedelta(hours=9)  # a night storm: complaints start with the morning's flights
    late = AlertSeen(effect + timedelta(minutes=23), "topic:cancellations", "cancellations", (), True)
    early_ops = OpsSeen(effect - timedelta(minutes=40), "AMS", ("PX1 AMS-LHR cancelled",), True)
    false_ops = OpsSeen(effect - timedelta(hours=5), "FCO", (), False)
    both = ReplayResult(onset, onset, 7.0, 1, (late,), effect, (false_ops, early_ops))
    assert both.effect_delay == timedelta(minutes=23)  # the complaint side alone
    assert both.either_effect_delay == timedelta(minutes=-40)  # a false ops alert does not count
    complaints_only = ReplayResult(onset, onset, 7.0, 1, (late,), effect)
    assert complaints_only.either_effect_delay == timedelta(minutes=23)
    assert ReplayResult(onset, onset, 7.0, 0, (), effect).either_effect_delay is None
    table = markdown("parallax eval stream-sim --seed 7", [(7, ("AMS",), both)])
    assert "| 2 |" not in table and "| 1 | -40 min |" in table


def test_an_alert_about_one_disrupted_flight_is_a_flight_incident_not_false() -> None:
    at = START + timedelta(hours=40)
    one = AlertSeen(
        at, "topic:cancellations", "cancellations", ("PX229",), False, flight="PX229 LHR-MAD cancelled"
    )
    false = AlertSeen(at, "topic:baggage", "baggage", ("LHR",), False)
    result = ReplayResult(START, START, 7.0, 10, (one, false), None, chance=(1, 30))
    assert [a.verdict for a in result.alerts] == ["flight incident", "false"]
    assert result.false_alerts == 1 and result.flight_incidents == 1
    table = markdown("parallax eval stream-sim --seed 7", [(7, ("AMS",), result)])
    assert "| 1 | 1.0 | 1 | 1 of 30 |" in table
    assert "| cancellations | PX229 | flight incident: PX229 LHR-MAD cancelled |" in table.replace(
        "topic:", ""
    )


def test_chance_matches_move_each_alert_by_days_outside_the_storm() -> None:
    feed = [  # PX1 cancelled on day 3 only; the feed runs from day 0 to day 6
        FlightStatus("acme", "PX1", "LHR", "MAD", START + timedelta(days=d, hours=9), 0, d == 3)
        for d in range(7)
    ]
    labels = ("flight_number:PX1",)
    on_day = AlertSeen(
        START + timedelta(days=3, hours=10), "topic:cancellations", None, (), False, labels=labels
    )
    storm = (START + timedelta(days=1), START + timedelta(days=1, hours=23))
    # moved to day 0 (inside the feed's first 6 h: skipped), 1 (the storm: skipped), 2, 4, 5 (no match)
    # and 6 (10:00, after the feed's last report at 09:00: skipped)
    assert chance_match([on_day], feed, storm) == (0, 3)
    later = AlertSeen(
        START + timedelta(days=5, hours=10), "topic:cancellations", None, (), False, labels=labels
    )
    # moved to days 2, 3 (the cancelled flight: a chance match) and 4; 6 to 8 are past the feed
    assert chance_match([later], feed, storm) == (1, 3)
