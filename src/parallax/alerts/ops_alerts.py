"""Operational alerts from the flight-status feed: statuses in, one alert per disrupted airport out.

Kept apart from the complaint engine on purpose: an ops alert says what the operation did ("4 flights at
AMS cancelled or delayed"), a complaint alert what customers say, and each is judged on its own clock.
Grouping: an airport's signals belong to one incident while its CUSUM stays above zero (one run of
disrupted flights, however long, and across a night without flights); only a new run, after its flights
were back to normal, raises a new alert. A grouping by time since the last signal split one storm into
several alerts at airports with a flight every hour or two. Pure and picklable, so it checkpoints like
:class:`~parallax.alerts.engine.SpikeEngine`.

Example:
    >>> from datetime import datetime, timedelta
    >>> engine = FlightStatusEngine()
    >>> t = datetime(2026, 3, 5, 7, 0)
    >>> at = [t + timedelta(minutes=10 * n) for n in range(6)]
    >>> feed = [FlightStatus("acme", f"PX{n}", "AMS", "BCN", when, 0, True) for n, when in enumerate(at)]
    >>> [(a.signal.airport, a.is_new) for a in engine.process_batch(feed)]
    [('AMS', True), ('BCN', True), ('AMS', False), ('BCN', False), ('AMS', False), ('BCN', False)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from parallax.alerts.flight_causes import RecentDisruptions
from parallax.alerts.flight_status import DISRUPTED_DELAY, FlightStatus, FlightStatusMonitor, OpsSignal
from parallax.kit.pickled import dump, load_as

SOURCE = "flight-status"  # what an ops alert names as its input, apart from complaint alerts


@dataclass(frozen=True)
class OpsAlert:
    """A signal and whether it opened a new incident (a new alert) or joined the airport's open one."""

    signal: OpsSignal
    is_new: bool
    incident: int
    started_at: datetime  # the incident's first signal: with the key, it finds the incident's stored alert


@dataclass
class FlightStatusEngine:
    """A :class:`FlightStatusMonitor` per workspace and one open incident per (workspace, airport)."""

    min_delay: float = DISRUPTED_DELAY
    _monitors: dict[str, FlightStatusMonitor] = field(default_factory=dict)
    # (workspace, airport) -> (run, incident ref, when the incident started)
    _open: dict[tuple[str, str], tuple[int, int, datetime]] = field(default_factory=dict)
    _refs: int = 0
    # The last hours' disrupted flights, to say which of them a complaint spike is about.
    recent: RecentDisruptions = field(default_factory=RecentDisruptions)

    def process_batch(self, statuses: list[FlightStatus]) -> list[OpsAlert]:
        out: list[OpsAlert] = []
        for status in statuses:
            self.recent.add(status)
            monitor = self._monitors.get(status.workspace_id)
            if monitor is None:
                monitor = self._monitors[status.workspace_id] = FlightStatusMonitor(self.min_delay)
            out.extend(self._group(signal) for signal in monitor.observe(status))
        return out

    def _group(self, signal: OpsSignal) -> OpsAlert:
        where = (signal.workspace_id, signal.airport)
        current = self._open.get(where)
        if current is not None and current[0] == signal.run:
            return OpsAlert(signal, False, current[1], current[2])
        self._refs += 1
        self._open[where] = (signal.run, self._refs, signal.at)
        return OpsAlert(signal, True, self._refs, signal.at)

    def __setstate__(self, state: dict[str, object]) -> None:
        state.setdefault("recent", RecentDisruptions())  # checkpoints written before it (also in a feed's)
        self.__dict__.update(state)

    def checkpoint(self) -> bytes:
        return dump(self)

    @staticmethod
    def restore(blob: bytes) -> FlightStatusEngine:
        return load_as(blob, FlightStatusEngine)
