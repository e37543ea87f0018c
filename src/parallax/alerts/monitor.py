"""Per-key spike detection over a stream of events: counts per time bucket, one detector per key.

Detectors learn only closed buckets (a regular series, with zeros for keys that were silent), but the open
bucket is scored on every event with its count so far. A partial count is a lower bound of the final one,
so a spike is seen as soon as it is unusual, minutes before its bucket closes, and nothing is scored on the
future. Late events count in the open bucket.

The detectors change only when a bucket closes or a key is new, while the stream checkpoints every few
seconds; so the monitor keeps its detectors' pickle from the last change and a checkpoint in between copies
those bytes instead of pickling every window again (after three simulated days, 258 keys pickle to about
20 MB in about 0.2 CPU s).

Example:
    >>> from datetime import datetime, timedelta
    >>> m = KeyedMonitor(bucket=timedelta(minutes=5))
    >>> e = SignalEvent("acme", "x", "1", datetime(2026, 1, 1), "twitter", "negative", "delay")
    >>> [o.key.name for o in m.observe(e)][:2]
    ['negative', 'topic:delay']
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from parallax.alerts.detectors.spike import SpikeDetector
from parallax.alerts.events import SeriesKey, SignalEvent, event_keys


@dataclass(frozen=True)
class Observation:
    """A key's open-bucket count scored against its past."""

    key: SeriesKey
    bucket_start: datetime
    count: int
    score: float  # calibrated, 0..1
    evidence: float  # robust SDs above the recent peak
    history: int  # closed buckets this key's detector has learned
    expected: float  # the key's median count per bucket over the last day


class KeyedMonitor:
    """One SpikeDetector per key (up to ``max_keys``); picklable, so it is the checkpointed state."""

    def __init__(
        self,
        bucket: timedelta = timedelta(minutes=5),
        prototype: SpikeDetector | None = None,
        max_keys: int = 2_000,
    ) -> None:
        self.bucket = bucket
        self.prototype = prototype or SpikeDetector.for_step(bucket)
        self.max_keys = max_keys
        self._detectors: dict[SeriesKey, SpikeDetector] = {}
        self._counts: Counter[SeriesKey] = Counter()
        self._open: datetime | None = None
        self._closed = 0
        self._pickled: bytes | None = None  # the detectors' pickle, while they have not changed since

    def bucket_of(self, t: datetime) -> datetime:
        seconds = self.bucket.total_seconds()
        epoch = datetime(1970, 1, 1)
        return epoch + timedelta(seconds=math.floor((t - epoch).total_seconds() / seconds) * seconds)

    def advance(self, t: datetime) -> None:
        """Close every bucket that ends at or before ``t``: each detector learns its count (0 if silent).

        The open bucket closes with its counts; the silent buckets after it are learned in bulk
        (``learn_zeros``), so a jump in time costs what the detectors' memory holds (a week of buckets at
        most), not one step per bucket: one event dated decades ahead cannot stall the stream.
        """
        if self._open is not None and t < self._open + self.bucket:
            return  # the common case: still inside the open bucket (or late, which counts in it)
        target = self.bucket_of(t)
        if self._open is None:
            self._open = target
            return
        closing = (target - self._open) // self.bucket
        for key, detector in self._detectors.items():
            detector.learn_one(float(self._counts.get(key, 0)), self._open)
            if closing > 1:
                detector.learn_zeros(closing - 1, self._open + self.bucket, self.bucket)
        self._pickled = None
        self._counts.clear()
        self._open = target
        self._closed += closing

    def observe(self, event: SignalEvent) -> list[Observation]:
        """Count ``event`` into the open bucket and score each of its keys' partial counts."""
        return [obs for obs, _ in self.observe_batch([event])]

    def observe_batch(self, events: list[SignalEvent]) -> list[tuple[Observation, SignalEvent]]:
        """Count a batch, then score each touched key once (with its count after the batch).

        Scoring once per key per batch instead of once per event is what keeps up with thousands of events a
        second; a bucket boundary inside the batch scores the closing bucket's keys before it is learned.
        """
        observations: list[tuple[Observation, SignalEvent]] = []
        touched: dict[SeriesKey, SignalEvent] = {}
        for event in events:
            if self._open is not None and event.occurred_at >= self._open + self.bucket:
                observations.extend(self._assess(touched))
                touched = {}
            self.advance(event.occurred_at)
            for key in event_keys(event):
                if key not in self._detectors:
                    if len(self._detectors) >= self.max_keys:
                        continue
                    self._detectors[key] = self._new_detector()
                    self._pickled = None
                self._counts[key] += 1
                touched[key] = event
        observations.extend(self._assess(touched))
        return observations

    def _assess(self, touched: dict[SeriesKey, SignalEvent]) -> list[tuple[Observation, SignalEvent]]:
        assert self._open is not None or not touched
        out = []
        for key, event in touched.items():
            detector, count = self._detectors[key], self._counts[key]
            assert self._open is not None
            score, evidence = detector.assess(float(count), self._open)
            obs = Observation(key, self._open, count, score, evidence, detector.seen, detector.baseline())
            out.append((obs, event))
        return out

    def _new_detector(self) -> SpikeDetector:
        """A detector for a new key: it was 0 in every closed bucket (backfilled, up to a day)."""
        detector = self.prototype.clone()
        assert self._open is not None
        backfill = min(self._closed, int(timedelta(days=1) / self.bucket))
        detector.learn_zeros(backfill, self._open - backfill * self.bucket, self.bucket)
        return detector

    @property
    def keys(self) -> int:
        return len(self._detectors)

    def __getstate__(self) -> dict[str, object]:
        if self.__dict__.get("_pickled") is None:
            self._pickled = pickle.dumps(self._detectors, protocol=pickle.HIGHEST_PROTOCOL)
        return {**self.__dict__, "_detectors": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        state = {"_pickled": None, **state}  # checkpoints written before the cache hold the detectors
        if state["_detectors"] is None:
            assert isinstance(state["_pickled"], bytes)
            state["_detectors"] = pickle.loads(state["_pickled"])
        self.__dict__.update(state)
