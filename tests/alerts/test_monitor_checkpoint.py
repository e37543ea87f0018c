"""A checkpoint between bucket closes reuses the detectors' pickle, and restores to the same engine."""

from __future__ import annotations

import pickle
import random
from datetime import datetime, timedelta

from parallax.alerts.engine import SpikeEngine
from parallax.alerts.events import SignalEvent

T0 = datetime(2026, 3, 2)
TOPICS = ("delays", "baggage", "refunds")


def _events(start: int, n: int, seed: int = 3) -> list[SignalEvent]:
    rng = random.Random(seed + start)
    return [
        SignalEvent(
            "acme", "t", str(i), T0 + timedelta(seconds=20 * i), "twitter",
            rng.choice(("negative", "neutral")), rng.choice(TOPICS), {"route": rng.choice(("A-B", "B-C"))},
        )
        for i in range(start, start + n)
    ]  # fmt: skip


def _scores(engine: SpikeEngine) -> list[tuple[str, float]]:
    monitor = engine._monitors["acme"][0]
    at = monitor._open
    assert at is not None
    return sorted((k.name, d.assess(3.0, at)[0]) for k, d in monitor._detectors.items())


def test_checkpoints_in_one_bucket_reuse_the_detectors_pickle() -> None:
    engine = SpikeEngine()
    engine.process_batch(_events(0, 2000))  # about 11 hours: many closed buckets
    monitor = engine._monitors["acme"][0]
    first = engine.checkpoint()
    cached = monitor._pickled
    engine.process_batch(_events(2000, 3))  # one minute, same bucket, known keys
    second = engine.checkpoint()
    assert monitor._pickled is cached  # nothing learned: the bytes are reused, not rebuilt
    assert first != second  # the open counts and the dedupe memory did change
    engine.process_batch(_events(2003, 30))  # ten minutes: a bucket closes
    engine.checkpoint()
    assert monitor._pickled is not cached


def test_a_restored_engine_goes_on_like_the_live_one() -> None:
    live = SpikeEngine()
    live.process_batch(_events(0, 1500))
    live.checkpoint()
    live.process_batch(_events(1500, 2))  # counted after the cache was made, in the same bucket
    new_key = SignalEvent("acme", "t", "x", T0 + timedelta(seconds=20 * 1501), "email", "negative", "fees")
    live.process_batch([new_key])  # a new key: the cache must not hide it
    restored = SpikeEngine.restore(live.checkpoint())
    assert _scores(restored) == _scores(live)
    later = _events(1502, 600)
    assert [o.signal for o in restored.process_batch(later)] == [o.signal for o in live.process_batch(later)]
    assert _scores(restored) == _scores(live)
    assert "topic:fees" in {k.name for k in restored._monitors["acme"][0]._detectors}


def test_checkpoints_written_before_the_cache_still_restore() -> None:
    engine = SpikeEngine()
    engine.process_batch(_events(0, 400))
    monitor = engine._monitors["acme"][0]
    old_state = {k: v for k, v in monitor.__dict__.items() if k != "_pickled"}
    old = pickle.loads(pickle.dumps(old_state))
    fresh = type(monitor).__new__(type(monitor))
    fresh.__setstate__(old)
    assert fresh.keys == monitor.keys and fresh._pickled is None
