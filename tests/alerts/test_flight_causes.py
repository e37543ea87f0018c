"""Which disrupted flights a complaint spike follows: the narrow match, the memory's bounds, the title."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta

from parallax.alerts.context import SpikeContext
from parallax.alerts.engine import Outcome
from parallax.alerts.events import SeriesKey, SignalEvent
from parallax.alerts.flight_causes import RecentDisruptions, explained_by, with_flight_status
from parallax.alerts.flight_status import FlightStatus
from parallax.alerts.incidents import Decision, Incident
from parallax.alerts.ops_alerts import FlightStatusEngine
from parallax.alerts.rules import Signal
from parallax.alerts.service import title_for

AT = datetime(2026, 3, 5, 21, 0)


def _status(flight: str, route: str, minutes_before: float, delay: float = 0, cancelled: bool = False):
    origin, destination = route.split("-")
    at = AT - timedelta(minutes=minutes_before)
    return FlightStatus("acme", flight, origin, destination, at, delay, cancelled)


def test_a_flight_is_matched_by_its_code_or_route_inside_the_window_only() -> None:
    feed = [
        _status("PX229", "LHR-MAD", 40, cancelled=True),
        _status("PX100", "LHR-JFK", 30, delay=150),
        _status("PX101", "LHR-JFK", 20, delay=90),  # under two hours: not disrupted
        _status("PX300", "FCO-LHR", 7 * 60, cancelled=True),  # seven hours before: too old
        _status("PX301", "FCO-LHR", -90, cancelled=True),  # due 90 minutes after: too far ahead
    ]
    assert explained_by(feed, ["airport:LHR"], AT) == ()  # an airport alone never matches
    by_route = explained_by(feed, ["route:LHR-JFK", "route:FCO-LHR"], AT)
    assert [s.flight for s in by_route] == ["PX100"]
    # named by its code (from the text, or as a segment) before one matched on its route only
    both = explained_by(feed, ["route:LHR-JFK", "flight_number:PX229"], AT)
    assert [s.flight for s in both] == ["PX229", "PX100"]
    assert [s.flight for s in explained_by(feed, ["flight:PX229"], AT)] == ["PX229"]


def test_the_memory_keeps_disrupted_flights_of_the_last_hours_per_workspace() -> None:
    memory = RecentDisruptions(capacity=3)
    memory.add(_status("PX1", "LHR-MAD", 8 * 60, cancelled=True))
    memory.add(_status("PX2", "LHR-MAD", 60))  # on time: not kept
    for n in range(3, 7):
        memory.add(_status(f"PX{n}", "LHR-MAD", 60 - n, cancelled=True))
    kept = memory.explaining("acme", ["route:LHR-MAD"], AT)
    assert [s.flight for s in kept] == ["PX4", "PX5", "PX6"]  # the cap keeps the newest three
    assert memory.explaining("other", ["route:LHR-MAD"], AT) == ()
    assert pickle.loads(pickle.dumps(memory)).explaining("acme", ["route:LHR-MAD"], AT) == kept


def _outcome(labels: tuple[str, ...], events: int = 12) -> Outcome:
    signal = Signal("spike", SeriesKey("topic:cancellations"), AT, 30, 2.0, 5.0, 0.999)
    incident = Incident(1, "acme", "cancellations", AT, AT, lead=signal)
    context = SpikeContext(
        (("cancellations", 20),), tuple((label, 9) for label in labels), (), events, 0.8, 0.2
    )
    trigger = SignalEvent("acme", "x", "1", AT, "twitter", "negative", "cancellations")
    return Outcome(signal, Decision(incident, True, False), context, trigger)


def test_an_outcome_names_the_flight_it_follows_in_its_title() -> None:
    engine = FlightStatusEngine()
    engine.process_batch([_status("PX229", "LHR-MAD", 40, cancelled=True)])
    outcome = with_flight_status(_outcome(("airport:LHR", "flight_number:PX229")), engine.recent)
    assert outcome.context.flight_status == ("PX229 LHR-MAD cancelled",)
    assert outcome.context.as_dict()["flight_status"] == ["PX229 LHR-MAD cancelled"]
    assert (
        title_for(outcome) == "Spike in cancellations complaints (LHR, PX229) after PX229 LHR-MAD cancelled"
    )
    unexplained = with_flight_status(_outcome(("airport:LHR", "route:LHR-JFK")), engine.recent)
    assert title_for(unexplained) == "Spike in cancellations complaints (LHR, LHR-JFK)"
    bare = _outcome(("flight_number:PX229",), events=0)  # a join without context is left alone
    assert with_flight_status(bare, engine.recent) is bare


def test_an_ops_engine_from_before_the_memory_restores_with_an_empty_one() -> None:
    engine = FlightStatusEngine()
    old = pickle.dumps(engine)
    state = pickle.loads(old)
    del state.__dict__["recent"]  # what a checkpoint written before the memory holds
    restored = FlightStatusEngine.restore(pickle.dumps(state))
    assert restored.recent.explaining("acme", ["route:LHR-MAD"], AT) == ()
