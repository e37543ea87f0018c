"""The replay's judge on constructed truths: a planted failure before the storm, storm-hit flights as the
storm, one-flight incidents and false alerts (the cases of seed 202 in issue 14)."""

from __future__ import annotations

from datetime import datetime, timedelta

from parallax.alerts.flight_status import FlightStatus
from parallax.stream.sim_judge import Truth, judge
from parallax.stream.sim_replay import replay_ops

START = datetime(2026, 3, 5, 22, 36)  # seed 202's storm over FCO and LHR
WINDOW = (START - timedelta(hours=3), START + timedelta(hours=35))


def _flight(code: str, route: str, at: datetime, delay: float = 0, cancelled: bool = False) -> FlightStatus:
    origin, destination = route.split("-")
    return FlightStatus("acme", code, origin, destination, at, delay, cancelled)


# JFK-LHR flights leaving seven hours before the storm, due to land in it: storm-hit in the truth
LONG_HAUL = [
    _flight(f"PX{127 + i}", "JFK-LHR", START - timedelta(hours=7, minutes=40 - 10 * i), 170) for i in range(3)
]
CANCELLED = _flight("PX131", "JFK-LHR", START - timedelta(hours=5, minutes=36), cancelled=True)
RANDOM = _flight("PX229", "LHR-MAD", START + timedelta(days=2), cancelled=True)  # a random cancellation
TRUTH = Truth(
    marks=frozenset({"FCO", "LHR", "MAD-FCO", "FCO-MAD", "LHR-FCO", "FCO-LHR", "JFK-LHR", "LHR-MAD"}),
    window=WINDOW,
    failures=frozenset({"airport:AMS", "route:MAD-FCO", "route:JFK-LHR", "airport:CDG"}),
    statuses=(*LONG_HAUL, CANCELLED, RANDOM),
    hit=frozenset((f.flight, f.scheduled) for f in (*LONG_HAUL, CANCELLED)),
    whole=frozenset({"airport:AMS", "route:MAD-FCO"}),  # JFK-LHR's failure is its business cabin only
)


def test_an_alert_about_a_planted_failure_is_that_failure_inside_the_storm_too() -> None:
    """Seed 202: in-flight complaints about the old aircraft on MAD-FCO (FCO is a storm airport) 19
    minutes after the storm's start were judged the storm's first alert."""
    at = START + timedelta(minutes=19)
    by_key = judge(TRUTH, at, "topic:in_flight|route:MAD-FCO", ["in_flight", "delays"], ["route:MAD-FCO"])
    assert by_key.verdict == "planted failure"
    by_entity = judge(TRUTH, at, "topic:in_flight", ["in_flight"], ["route:MAD-FCO", "airport:FCO"])
    assert by_entity.verdict == "planted failure"
    # a disruption topic on the failing route during the storm is the storm, not the failure
    storm = judge(TRUTH, at, "topic:cancellations|route:MAD-FCO", ["cancellations"], ["route:MAD-FCO"])
    assert storm.verdict == "storm"
    # the failing place named only further down the entities does not make it the failure
    later = judge(TRUTH, at, "topic:in_flight", ["in_flight"], ["airport:LHR", "route:MAD-FCO"])
    assert later.verdict == "storm"
    # seed 61: refunds naming JFK-LHR first, whose failure is its business cabin, not the route: the storm
    refunds = judge(TRUTH, at, "topic:refunds", ["refunds"], ["route:JFK-LHR", "airport:LHR"])
    assert refunds.verdict == "storm"


def test_an_alert_on_a_storm_hit_flight_is_the_storm_before_its_window() -> None:
    at = START - timedelta(hours=4, minutes=49)  # 17:47, before the judge's three-hour lead
    hit = judge(TRUTH, at, "topic:cancellations", ["cancellations"], ["airport:JFK", "route:JFK-LHR"])
    assert hit.verdict == "storm"
    one = judge(
        TRUTH,
        RANDOM.scheduled + timedelta(hours=1),
        "topic:cancellations",
        ["cancellations"],
        ["route:LHR-MAD"],
    )
    assert one.verdict == "flight incident" and one.flight == "PX229 LHR-MAD cancelled"
    quiet = judge(TRUTH, START + timedelta(days=3), "topic:refunds", ["refunds"], ["airport:DUB"])
    assert quiet.verdict == "false"


def test_feed_alerts_on_storm_hit_flights_are_the_storm() -> None:
    """Seed 202: three ops alerts at 15:00 and 17:40 on JFK-LHR flights due to land in the storm were
    judged false because they came before the judge's window."""
    calm = [
        _flight(f"PX{300 + i}", "DUB-LHR", START - timedelta(hours=20, minutes=10 * i)) for i in range(30)
    ]
    feed = sorted([*calm, *LONG_HAUL], key=lambda f: f.scheduled)
    before = replay_ops(feed, {"FCO", "LHR"}, WINDOW)
    after = replay_ops(feed, {"FCO", "LHR"}, WINDOW, TRUTH.hit)
    assert before and [o.verdict for o in before] == ["false"] * len(before)
    assert [o.verdict for o in after] == ["storm"] * len(before)
