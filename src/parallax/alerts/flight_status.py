"""The airline's flight-status feed as a second input: is an airport's operation disrupted right now?

Complaints come after the fact: a customer complains when their flight is cancelled or hours late, and a
storm's first minutes of complaints look like one ordinary cancelled flight's (docs/realtime.md). The
operation itself says more, sooner: a flight-status feed reports every flight as it is due to leave (on
time, delayed so many minutes, or cancelled), and in a storm most of an airport's flights are disrupted
where ordinarily about one in fifty is. This module reads that feed; it is a separate signal from the
complaint detectors and its alerts say so.

*Disrupted* is cancelled or delayed at least ``min_delay`` minutes (2 hours: the delay from which EU261
owes passengers care on short flights, a line airlines already report on); *late* is an hour or more
short of that. Each reported flight is one of three classes: on time (or less than an hour late), late,
disrupted.

Per airport a categorical CUSUM (Page, 1954) over the flights that leave or reach it, in the order they are
reported: each flight adds ``log(p1[c] / p0[c])`` for its class ``c``, where ``p0`` is the airport's own
share of each class (learned, starting from a prior) and ``p1`` the shares in a disruption (half the
flights disrupted, a fifth late, the rest on time). The sum is floored at zero and capped at the
threshold, so it forgets a long disruption within a few normal flights and re-arms for the next one.
Crossing the threshold ``ln(1000)`` means the flights since the run began are a thousand times likelier
under the disruption's shares than under the airport's usual ones: two disrupted flights in a row where
usually under 1.6 % are, three among four where it is usually 2 %. The late class is there because a
storm's first flights are often 60-110 minutes late rather than two hours: with two classes only, a late
flight counted as on time and pulled the sum down (a small airport's storm waited two hours more for its
next cancellation); with three it adds a little (``log(0.2 / 0.06)``, about 1.2, where 6 % of flights are
usually an hour late) instead of taking off ``log(0.3 / 0.9)``.

Example:
    >>> from datetime import datetime
    >>> monitor = FlightStatusMonitor()
    >>> at = datetime(2026, 3, 5, 7, 0)
    >>> late = [FlightStatus("acme", f"PX{n}", "AMS", "LHR", at, delay_min=180) for n in range(200, 204)]
    >>> [len(monitor.observe(s)) for s in late]  # a fresh airport's usual shares are the prior's
    [0, 0, 0, 2]
    >>> signal = monitor.observe(late[0])[0]
    >>> signal.headline()
    '5 flights at AMS cancelled or delayed (usually 12.0% of its flights are cancelled or 2 h late)'
    >>> signal.described()[0]
    'PX200 AMS-LHR +180 min'
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

ON_TIME, LATE, DISRUPTED = 0, 1, 2  # a reported flight's class
DISRUPTED_DELAY = 120.0  # minutes: cancelled or this late is disrupted (the EU261 line)
LATE_DELAY = 60.0  # minutes: this late, and not disrupted, is late
P1_LATE, PRIOR_LATE = 0.2, 0.08  # the late share in a disruption, and usually (the prior)


@dataclass(frozen=True)
class FlightStatus:
    """One flight as the feed reports it when it is due to leave (times are naive UTC)."""

    workspace_id: str
    flight: str
    origin: str
    destination: str
    scheduled: datetime  # scheduled departure: when the feed reports the flight
    delay_min: float = 0.0
    cancelled: bool = False

    def disrupted(self, min_delay: float) -> bool:
        return self.cancelled or self.delay_min >= min_delay

    def klass(self, min_delay: float, late_delay: float) -> int:
        """``DISRUPTED``, ``LATE`` (at least ``late_delay`` minutes) or ``ON_TIME``."""
        if self.disrupted(min_delay):
            return DISRUPTED
        return LATE if self.delay_min >= late_delay else ON_TIME

    def describe(self) -> str:
        state = "cancelled" if self.cancelled else f"+{self.delay_min:.0f} min"
        return f"{self.flight} {self.origin}-{self.destination} {state}"


class AirportCusum:
    """Categorical CUSUM of one airport's flights (on time, late, disrupted); small, picklable state."""

    def __init__(
        self,
        p1: float = 0.5,
        threshold: float = math.log(1000.0),
        prior_rate: float = 0.05,
        prior_weight: float = 50.0,
        run_memory: int = 12,
        p1_late: float = P1_LATE,
        prior_late: float = PRIOR_LATE,
    ) -> None:
        self.p1 = p1
        self.p1_late = p1_late
        self.threshold = threshold
        self.prior_rate = prior_rate
        self.prior_late = prior_late
        self.prior_weight = prior_weight
        self.run_memory = run_memory
        self._level = 0.0
        self._flights = 0
        self._disrupted = 0
        self._late = 0
        # The late and disrupted flights of the current run: since the level was last 0.
        self._run: deque[FlightStatus] = deque(maxlen=run_memory)
        self._runs = 0

    def __setstate__(self, state: dict[str, object]) -> None:
        # checkpoints from before the late class: no late flight learned, the default prior
        state.setdefault("p1_late", P1_LATE)
        state.setdefault("prior_late", PRIOR_LATE)
        state.setdefault("_late", 0)
        self.__dict__.update(state)

    def base_rate(self) -> float:
        """The airport's usual disrupted share: its history, shrunk towards the prior."""
        prior = self.prior_rate * self.prior_weight
        return (self._disrupted + prior) / (self._flights + self.prior_weight)

    def late_rate(self) -> float:
        """The airport's usual share of late (not disrupted) flights, likewise."""
        prior = self.prior_late * self.prior_weight
        return (self._late + prior) / (self._flights + self.prior_weight)

    def _step(self, klass: int) -> float:
        # a chronically bad airport still needs a clear rise: no usual share above half the disruption's
        disrupted = min(self.base_rate(), self.p1 / 2.0)
        late = min(self.late_rate(), self.p1_late / 2.0)
        if klass == DISRUPTED:
            return math.log(self.p1 / disrupted)
        if klass == LATE:
            return math.log(self.p1_late / late)
        return math.log((1.0 - self.p1 - self.p1_late) / (1.0 - disrupted - late))

    @property
    def level(self) -> float:
        return self._level

    @property
    def run(self) -> tuple[FlightStatus, ...]:
        return tuple(self._run)

    @property
    def run_number(self) -> int:
        """Which run the level is in (or last was): one run of disrupted flights is one incident."""
        return self._runs

    def update(self, klass: int, status: FlightStatus) -> bool:
        """Add one reported flight of class ``klass``; True when the level reaches the threshold (the
        airport is disrupted)."""
        step = self._step(klass)
        alarmed = self._level >= self.threshold
        self._runs += self._level == 0.0 and step > 0.0
        self._level = min(self.threshold, max(0.0, self._level + step))
        if self._level == 0.0:
            self._run.clear()
        elif klass != ON_TIME:
            self._run.append(status)
        if not alarmed:  # the usual shares are learned from usual days: a storm does not become the norm
            self._flights += 1
            self._disrupted += klass == DISRUPTED
            self._late += klass == LATE
        return self._level >= self.threshold


@dataclass(frozen=True)
class OpsSignal:
    """An airport whose recent flights are disrupted far beyond its usual share."""

    workspace_id: str
    airport: str
    at: datetime
    flights: tuple[FlightStatus, ...]  # the disrupted flights of the run, oldest first (the last dozen)
    base_rate: float
    run: int = 0  # the airport's run number: signals of one run are one incident

    @property
    def airports(self) -> frozenset[str]:
        """Every airport the disrupted flights leave or reach."""
        return frozenset(a for f in self.flights for a in (f.origin, f.destination))

    def described(self) -> tuple[str, ...]:
        return tuple(f.describe() for f in self.flights)

    @property
    def key(self) -> str:
        return f"ops:disrupted|airport:{self.airport}"

    def headline(self) -> str:
        return (
            f"{len(self.flights)} flights at {self.airport} cancelled or delayed "
            f"(usually {self.base_rate:.1%} of its flights are cancelled or 2 h late)"
        )


@dataclass
class FlightStatusMonitor:
    """One CUSUM per airport of a workspace; every reported flight counts at both of its ends."""

    min_delay: float = DISRUPTED_DELAY
    late_delay: float = LATE_DELAY
    prototype: AirportCusum = field(default_factory=AirportCusum)
    _airports: dict[str, AirportCusum] = field(default_factory=dict)

    def __setstate__(self, state: dict[str, object]) -> None:
        state.setdefault("late_delay", LATE_DELAY)  # checkpoints from before the late class
        self.__dict__.update(state)

    def observe(self, status: FlightStatus) -> list[OpsSignal]:
        klass = status.klass(self.min_delay, self.late_delay)
        signals = []
        for airport in (status.origin, status.destination):
            cusum = self._airports.get(airport)
            if cusum is None:
                cusum = self._airports[airport] = _fresh(self.prototype)
            base = cusum.base_rate()
            if cusum.update(klass, status) and klass != ON_TIME:
                signal = OpsSignal(
                    status.workspace_id, airport, status.scheduled, cusum.run, base, cusum.run_number
                )
                signals.append(signal)
        return signals


def _fresh(prototype: AirportCusum) -> AirportCusum:
    p = prototype
    return AirportCusum(
        p.p1, p.threshold, p.prior_rate, p.prior_weight, p.run_memory, p.p1_late, p.prior_late
    )
