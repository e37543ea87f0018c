"""The detector contract on seeded streams: exact indices, clone, pickle, checkpoint and restore."""

from __future__ import annotations

import math
import pickle
import random
from datetime import datetime, timedelta

import pytest

from parallax.alerts.detectors.base import Detector
from parallax.alerts.detectors.onset import OnsetDetector
from parallax.alerts.detectors.robust import SeasonalZ, WindowZ
from parallax.alerts.detectors.spike import SpikeDetector

T0 = datetime(2026, 3, 2)


def _daily_stream(seed: int, days: int = 10, spikes: dict[int, float] | None = None) -> list[float]:
    """Poisson-ish counts every 5 minutes with a strong daily cycle (quiet nights, busy afternoons)."""
    rng = random.Random(seed)
    values = []
    for i in range(days * 288):
        hour = (i // 12) % 24
        level = 20 + 80 * max(0.0, math.sin(math.pi * (hour - 6) / 16)) if 6 <= hour <= 22 else 20
        values.append(max(0.0, rng.gauss(level, math.sqrt(level))) * (spikes or {}).get(i, 1.0))
    return values


def _times(n: int) -> list[datetime]:
    return [T0 + timedelta(minutes=5 * i) for i in range(n)]


def _detections(detector: SpikeDetector, values: list[float], threshold: float) -> list[int]:
    """Indices where the calibrated score passes ``threshold`` with at least 2 robust SDs of evidence."""
    found = []
    for i, (t, x) in enumerate(zip(_times(len(values)), values, strict=True)):
        if detector.update(x, t) >= threshold and detector.last_evidence >= 2.0:
            found.append(i)
    return found


@pytest.mark.parametrize("detector", [WindowZ(), SeasonalZ(), OnsetDetector(span=12), SpikeDetector()])
def test_contract_clone_params_pickle(detector: Detector) -> None:
    values = _daily_stream(1, days=2)
    for t, x in zip(_times(len(values)), values, strict=True):
        detector.update(x, t)
    fresh = detector.clone()
    assert fresh.params() == detector.params()
    assert type(fresh) is type(detector)
    restored = Detector.restore(detector.checkpoint())
    probe = T0 + timedelta(days=2, minutes=5)
    assert restored.score_one(250.0, probe) == detector.score_one(250.0, probe)
    assert pickle.loads(pickle.dumps(detector)).params() == detector.params()


def test_checkpoint_restore_continues_identically() -> None:
    values = _daily_stream(2, days=4, spikes={900: 4.0})
    times = _times(len(values))
    whole = SpikeDetector()
    expected = [whole.update(x, t) for t, x in zip(times, values, strict=True)]
    first = SpikeDetector()
    got = [first.update(x, t) for t, x in zip(times[:500], values[:500], strict=True)]
    second = Detector.restore(first.checkpoint())
    got += [second.update(x, t) for t, x in zip(times[500:], values[500:], strict=True)]
    assert got == expected


def test_planted_spikes_detected_at_exact_indices() -> None:
    values = _daily_stream(3, days=10, spikes={1500: 5.0, 1501: 5.0, 1502: 5.0, 2400: 4.0})
    # The five-minute scale fires at the first step; the hour scale when three steps in a row make the
    # hour's sum rarer still. Nothing else fires.
    assert _detections(SpikeDetector(), values, 0.999) == [1500, 1502, 2400]


def test_daily_cycle_alone_raises_nothing() -> None:
    assert _detections(SpikeDetector(), _daily_stream(4, days=10), 0.999) == []


def test_seasonal_baseline_knows_the_hour() -> None:
    """A night value as high as an afternoon is normal for a window baseline but not for the hour."""
    values = _daily_stream(5, days=8)
    seasonal, window = SeasonalZ(), WindowZ(window=2016)
    times = _times(len(values))
    for t, x in zip(times, values, strict=True):
        seasonal.learn_one(x, t)
        window.learn_one(x, t)
    night = T0 + timedelta(days=8, hours=3)
    assert seasonal.score_one(100.0, night) > 5 * max(window.score_one(100.0, night), 1.0)


def test_score_is_in_unit_interval_and_zero_without_history() -> None:
    detector = SpikeDetector()
    assert detector.update(1000.0, T0) == 0.0
    values = _daily_stream(6, days=3, spikes={700: 10.0})
    scores = [detector.update(x, t) for t, x in zip(_times(len(values)), values, strict=True)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert max(range(len(scores)), key=scores.__getitem__) == 700


def test_volume_floor_silences_sparse_counts() -> None:
    """Three events where there are usually none are rare, but under ``min_total`` they are no evidence."""
    values = [0.0] * 600 + [3.0] + [0.0] * 20
    times = _times(len(values))
    loose, floored = OnsetDetector(), OnsetDetector(min_total=10)
    assert max(loose.update(x, t) for t, x in zip(times, values, strict=True)) > 0.99
    assert max(floored.update(x, t) for t, x in zip(times, values, strict=True)) == 0.0


def test_longer_span_keeps_the_same_memory_per_observation() -> None:
    assert OnsetDetector(span=12, memory=0.75)._memory == pytest.approx(0.75 ** (1 / 12))
    assert OnsetDetector(span=1, memory=0.75)._memory == 0.75
    with pytest.raises(ValueError):
        OnsetDetector(span=0)
