"""A silent stretch is learned in bulk: the same state as one zero at a time, at a cost bounded by memory.

The issue this guards: one interaction dated 2099 made the keyed monitor walk every 5-minute bucket up to
it, freezing the server; a backfill froze it for 26 s.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.onset import OnsetDetector
from parallax.alerts.detectors.spike import SpikeDetector
from parallax.alerts.events import SignalEvent
from parallax.alerts.monitor import KeyedMonitor

T0 = datetime(2026, 3, 1, 22, 35)


def _one_by_one(detector: Detector, n: int, start: datetime, step: timedelta) -> None:
    Detector.learn_zeros(detector, n, start, step)  # the base class: learn_one(0.0, ...) n times


def _series(rng: random.Random, n: int) -> list[float]:
    return [float(rng.choice((0, 0, 1, 2, 3, 5, 8, 30))) for _ in range(n)]


@pytest.mark.parametrize("step", [timedelta(minutes=5), timedelta(hours=1)])
@pytest.mark.parametrize("gap", [0, 1, 2, 7, 13, 150, 2100, 9000])
def test_bulk_zeros_leave_the_same_state_as_one_at_a_time(step: timedelta, gap: int) -> None:
    rng = random.Random(gap)
    bulk, reference = SpikeDetector.for_step(step), SpikeDetector.for_step(step)
    history = _series(rng, 400)
    for i, x in enumerate(history):
        bulk.update(x, T0 + i * step)
        reference.update(x, T0 + i * step)
    start = T0 + len(history) * step
    bulk.learn_zeros(gap, start, step)
    _one_by_one(reference, gap, start, step)
    assert bulk.seen == reference.seen
    assert bulk.last_evidence == reference.last_evidence
    after = start + gap * step
    for i, x in enumerate([*_series(rng, 300), 400.0]):
        t = after + i * step
        assert bulk.update(x, t) == pytest.approx(reference.update(x, t), abs=1e-12)


def test_a_fresh_detector_takes_bulk_zeros_like_single_ones() -> None:
    step = timedelta(minutes=5)
    bulk, reference = OnsetDetector(span=12), OnsetDetector(span=12)
    bulk.learn_zeros(500, T0, step)
    _one_by_one(reference, 500, T0, step)
    rng = random.Random(3)
    for i, x in enumerate(_series(rng, 200)):
        t = T0 + (500 + i) * step
        assert bulk.update(x, t) == pytest.approx(reference.update(x, t), abs=1e-12)


def _event(at: datetime, n: int) -> SignalEvent:
    return SignalEvent("acme", "x", str(n), at, "twitter", "negative", "delay")


def test_a_jump_of_decades_costs_what_the_detectors_remember(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"update": 0}
    original = OnsetDetector.update

    def counting(self: OnsetDetector, x: float, t: datetime) -> float:
        calls["update"] += 1
        return original(self, x, t)

    monkeypatch.setattr(OnsetDetector, "update", counting)
    monitor = KeyedMonitor(bucket=timedelta(minutes=5))
    for i in range(50):
        monitor.observe(_event(T0 + timedelta(minutes=i), i))
    keys = monitor.keys
    calls["update"] = 0
    observed = monitor.observe(_event(datetime(2099, 1, 1), 999))
    # Walking each bucket would be ~7.7 million steps per key and scale; in bulk a handful per key.
    assert calls["update"] <= keys * 2 * 20
    assert [o.bucket_start for o in observed] == [datetime(2099, 1, 1)] * len(observed)


def test_the_monitor_scores_the_same_as_walking_every_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    events, t = [], T0
    for n in range(3000):
        t += timedelta(seconds=rng.choice((5, 30, 90, 400, 4000)) if n != 1500 else 3 * 86400)
        events.append(_event(t, n))
    bulk = KeyedMonitor(bucket=timedelta(minutes=5))
    got = [(o.key, o.count, round(o.score, 12)) for e in events for o in bulk.observe(e)]
    monkeypatch.setattr(SpikeDetector, "learn_zeros", Detector.learn_zeros)
    walked = KeyedMonitor(bucket=timedelta(minutes=5))
    expected = [(o.key, o.count, round(o.score, 12)) for e in events for o in walked.observe(e)]
    assert got == expected
