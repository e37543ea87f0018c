"""The flight-status feed: per-airport CUSUM of disrupted flights, ops alerts and their grouping."""

from __future__ import annotations

import math
import pickle
import random
from datetime import datetime, timedelta

from parallax.alerts.flight_status import (
    DISRUPTED,
    LATE,
    ON_TIME,
    AirportCusum,
    FlightStatus,
    FlightStatusMonitor,
)
from parallax.alerts.ops_alerts import FlightStatusEngine

T0 = datetime(2026, 3, 2, 6, 0)


def _feed(disrupted: list[bool], start: datetime = T0, origin: str = "AMS") -> list[FlightStatus]:
    """One flight every 20 minutes from ``origin`` to LHR; a disrupted one is three hours late."""
    return [
        FlightStatus(
            "acme", f"PX{i}", origin, "LHR", start + timedelta(minutes=20 * i), 180.0 if bad else 5.0
        )
        for i, bad in enumerate(disrupted)
    ]


def _ordinary(n: int, share: float, seed: int) -> list[bool]:
    rng = random.Random(seed)
    return [rng.random() < share for _ in range(n)]


def test_disrupted_is_cancelled_or_two_hours_late_and_late_an_hour() -> None:
    late = FlightStatus("acme", "PX1", "AMS", "LHR", T0, delay_min=119)
    assert not late.disrupted(120) and FlightStatus("acme", "PX1", "AMS", "LHR", T0, 120).disrupted(120)
    classes = [FlightStatus("acme", "PX1", "AMS", "LHR", T0, d).klass(120, 60) for d in (0, 59, 60, 119, 120)]
    assert classes == [ON_TIME, ON_TIME, LATE, LATE, DISRUPTED]
    cancelled = FlightStatus("acme", "PX2", "CDG", "LHR", T0, cancelled=True)
    assert cancelled.disrupted(120) and cancelled.describe() == "PX2 CDG-LHR cancelled"


def test_the_usual_share_is_learned_from_the_airports_own_flights() -> None:
    cusum = AirportCusum()
    assert cusum.base_rate() == 0.05  # the prior, before any flight
    for status, bad in zip(_feed(_ordinary(4000, 0.02, seed=1)), _ordinary(4000, 0.02, seed=1), strict=True):
        cusum.update(DISRUPTED if bad else ON_TIME, status)
    assert abs(cusum.base_rate() - 0.02) < 0.006


def test_ordinary_weeks_raise_almost_no_ops_alert() -> None:
    """Twenty ordinary weeks of a busy airport (2 % disrupted, 100 flights a day) at the default threshold:
    scattered disruptions do not add up, and the threshold (a likelihood ratio of 1000) is rarely reached."""
    engine = FlightStatusEngine()
    alerts = engine.process_batch(_feed(_ordinary(14_000, 0.02, seed=2)))
    assert sum(a.is_new and a.signal.airport == "AMS" for a in alerts) <= 2  # here: one in twenty weeks


def test_a_storm_is_alerted_within_its_first_flights_once() -> None:
    ordinary = _ordinary(600, 0.02, seed=3)
    storm = [True, True, False, True, True, True, False, True] * 10  # 75 % disrupted for 80 flights
    feed = _feed(ordinary + storm + [False] * 200)
    alerts = FlightStatusEngine().process_batch(feed)
    new = [a for a in alerts if a.is_new and a.signal.airport == "AMS"]
    storm_start = feed[len(ordinary)].scheduled
    assert len(new) == 1  # one incident for the whole storm at AMS
    assert storm_start <= new[0].signal.at <= storm_start + timedelta(minutes=20 * 3)
    assert new[0].signal.flights[0].scheduled >= storm_start  # the run it names is the storm's
    assert "AMS" in new[0].signal.headline() and new[0].signal.airports == {"AMS", "LHR"}


def test_the_level_is_capped_so_a_long_disruption_is_forgotten_and_the_next_one_alerted() -> None:
    cusum = AirportCusum()
    for status in _feed([True] * 100):
        cusum.update(DISRUPTED, status)
    assert cusum.level == cusum.threshold  # capped, not 100 flights' worth of evidence
    assert cusum.base_rate() < 0.15  # the storm's flights after the alarm are not learned as usual
    normal = 0
    while cusum.level > 0.0:
        cusum.update(ON_TIME, _feed([False])[0])
        normal += 1
    assert normal <= 15 and cusum.run == ()
    # a second storm, once the first one's flights were back to normal, is a new alert
    first = _feed([True] * 10 + [False] * 30)
    second = _feed([True] * 10, start=first[-1].scheduled + timedelta(hours=1))
    new = [a for a in FlightStatusEngine().process_batch(first + second) if a.is_new]
    assert [a.signal.airport for a in new] == ["AMS", "LHR", "AMS", "LHR"]
    assert new[2].signal.run > new[0].signal.run


def test_one_run_is_one_alert_however_sparse_its_flights() -> None:
    """A small airport in a day-long storm: a disrupted flight every two hours, one in four on time, and a
    night without flights in between. The level never returns to 0, so it stays one incident."""
    pattern = [True, True, False, True] * 4
    hours = [2 * i + 10 * (i > 7) for i in range(len(pattern))]
    spaced = [
        FlightStatus("acme", f"PX{i}", "BCN", "AMS", T0 + timedelta(hours=h), 180.0 if bad else 0.0)
        for i, (bad, h) in enumerate(zip(pattern, hours, strict=True))
    ]
    new = [a for a in FlightStatusEngine().process_batch(spaced) if a.is_new and a.signal.airport == "BCN"]
    assert len(new) == 1


def test_two_disrupted_flights_alert_only_where_disruption_is_rare() -> None:
    """Two in a row pass ln(1000) only when the usual share is under 0.5 / sqrt(1000) (1.6 %)."""
    for share, expected in ((0.01, True), (0.03, False)):
        cusum = AirportCusum(prior_rate=share, prior_weight=1e9)  # the usual share, fixed
        fired = [cusum.update(DISRUPTED, s) for s in _feed([True, True])]
        assert fired[-1] is expected, share
    assert 0.5 / math.sqrt(1000) < 0.016


def test_each_flight_counts_at_both_ends_and_per_workspace() -> None:
    monitor = FlightStatusMonitor()
    signals = [s for status in _feed([True] * 6) for s in monitor.observe(status)]
    assert {s.airport for s in signals} == {"AMS", "LHR"}
    other = FlightStatusEngine()
    mixed = _feed([True] * 6) + [
        FlightStatus("beta", f"PX{i}", "AMS", "LHR", T0 + timedelta(minutes=i)) for i in range(6)
    ]
    by_workspace = {a.signal.workspace_id for a in other.process_batch(mixed)}
    assert by_workspace == {"acme"}  # the other workspace's punctual flights raise nothing


def test_checkpoint_restores_the_same_state() -> None:
    feed = _feed(_ordinary(300, 0.02, seed=4) + [True] * 3)
    engine = FlightStatusEngine()
    engine.process_batch(feed[:-1])
    restored = FlightStatusEngine.restore(engine.checkpoint())
    last = feed[-1:]
    assert [(a.signal.airport, a.is_new) for a in restored.process_batch(last)] == [
        (a.signal.airport, a.is_new) for a in engine.process_batch(last)
    ]
    try:
        FlightStatusEngine.restore(pickle.dumps({"not": "an engine"}))
    except TypeError:
        pass
    else:
        raise AssertionError("a foreign checkpoint must be refused")


def _mixed(classes: list[int], start: datetime = T0) -> list[FlightStatus]:
    """One flight every 20 minutes from AMS to LHR: on time, 80 minutes late, or three hours late."""
    delay = {ON_TIME: 5.0, LATE: 80.0, DISRUPTED: 180.0}
    return [
        FlightStatus("acme", f"PX{i}", "AMS", "LHR", start + timedelta(minutes=20 * i), delay[c])
        for i, c in enumerate(classes)
    ]


def test_late_flights_add_evidence_without_alerting_ordinary_weeks() -> None:
    """A storm whose flights are mostly 60-110 minutes late with a few over two hours is alerted at its
    third flight; were the late ones on time, its eight flights would never be alerted. Ordinary weeks
    with 6 % of flights an hour late and 2 % disrupted raise about one alert in thirteen weeks at a busy
    airport (the price of the late class: one in eighty without it)."""
    rng = random.Random(5)
    ordinary = [_ordinary_class(rng.random()) for _ in range(600)]
    storm = [DISRUPTED, LATE, DISRUPTED, LATE, LATE, DISRUPTED, ON_TIME, LATE]
    feed = _mixed(ordinary + storm)
    new = [a for a in FlightStatusEngine().process_batch(feed) if a.is_new and a.signal.airport == "AMS"]
    storm_start = feed[len(ordinary)].scheduled
    assert [a.signal.at for a in new if a.signal.at >= storm_start] == [feed[len(ordinary) + 2].scheduled]
    assert "+80 min" in new[-1].signal.described()[1]  # the run names its late flights too
    as_on_time = [DISRUPTED if c == DISRUPTED else ON_TIME for c in ordinary + storm]
    binary = [a for a in FlightStatusEngine().process_batch(_mixed(as_on_time)) if a.is_new]
    later = [a.signal.at for a in binary if a.signal.at >= storm_start and a.signal.airport == "AMS"]
    assert later == []  # counted as on time, the late flights pull the sum down: never alerted
    total = 0
    for seed in (5, 6, 7, 8):  # four busy airports' twenty weeks each (100 flights a day)
        draw = random.Random(seed)
        weeks = [_ordinary_class(draw.random()) for _ in range(14_000)]
        alerts = FlightStatusEngine().process_batch(_mixed(weeks))
        total += sum(a.is_new and a.signal.airport == "AMS" for a in alerts)
    assert total <= 8  # here 6 in 80 weeks; with late flights counted as on time, 1


def _ordinary_class(r: float) -> int:
    return DISRUPTED if r < 0.02 else LATE if r < 0.08 else ON_TIME


def test_a_monitor_from_before_the_late_class_restores() -> None:
    monitor = FlightStatusMonitor()
    monitor.observe(_feed([True])[0])
    state = pickle.loads(pickle.dumps(monitor))
    del state.__dict__["late_delay"]
    for cusum in state._airports.values():
        for name in ("p1_late", "prior_late", "_late"):
            del cusum.__dict__[name]
    restored = pickle.loads(pickle.dumps(state))
    assert restored.late_delay == 60.0
    restored.observe(_mixed([LATE])[0])  # reads and learns the late class like a new monitor
    assert restored._airports["AMS"].late_rate() > restored._airports["AMS"].prior_late
