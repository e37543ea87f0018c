"""The detection engine: events in, incident decisions out. Pure, picklable: its pickle is the checkpoint.

It also remembers which natural keys it has counted (a bounded FIFO), so an event delivered twice (the bus
gives at-least-once delivery) is counted once. The FIFO only has to cover what the broker can redeliver:
messages processed since the last acknowledged checkpoint (re-sent publishes are dropped by JetStream's own
duplicate window, and the store's unique key stops older re-sends at ingest). The recent events used to
describe a spike are not checkpointed: they refill within minutes.

Example:
    >>> from datetime import datetime
    >>> engine = SpikeEngine()
    >>> e = SignalEvent("acme", "x", "1", datetime(2026, 1, 1), "twitter", "negative", "delay")
    >>> engine.process(e), engine.process(e), engine.duplicates
    ([], [], 1)
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from parallax.alerts.context import RecentEvents, SpikeContext
from parallax.alerts.events import SignalEvent
from parallax.alerts.incidents import About, Decision, IncidentGrouper
from parallax.alerts.monitor import KeyedMonitor
from parallax.alerts.rules import Rule, Signal, SpikeRule
from parallax.kit.pickled import dump, load_as


@dataclass(frozen=True)
class Outcome:
    """A signal and what the grouper decided about it, with what the spike is about."""

    signal: Signal
    decision: Decision
    context: SpikeContext
    trigger: SignalEvent


class SpikeEngine:
    """Monitors (per workspace, one per bucket size), rules, grouping and dedupe for one stream.

    Two bucket sizes by default: 5 minutes sees a busy key's surge within minutes; 1 hour sees a quiet
    key's (a few complaints an hour) that no 5-minute count could tell from noise.
    """

    def __init__(
        self,
        rules: tuple[Rule, ...] = (SpikeRule(),),
        buckets: tuple[timedelta, ...] = (timedelta(minutes=5), timedelta(hours=1)),
        cooldown: timedelta = timedelta(hours=2),
        dedupe_capacity: int = 200_000,
    ) -> None:
        self.rules = rules
        # A workspace's own rules (edited in its settings) replace ``rules`` for that workspace only.
        self.workspace_rules: dict[str, tuple[Rule, ...]] = {}
        self.buckets = buckets
        self.dedupe_capacity = dedupe_capacity
        self.grouper = IncidentGrouper(cooldown)
        self._monitors: dict[str, list[KeyedMonitor]] = {}
        self._recent: dict[str, RecentEvents] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.processed = 0
        self.duplicates = 0

    def set_rules(self, workspace_id: str, rules: tuple[Rule, ...]) -> None:
        """Use ``rules`` for ``workspace_id`` from the next batch on; detector state is kept."""
        self.workspace_rules[workspace_id] = rules

    def rules_for(self, workspace_id: str) -> tuple[Rule, ...]:
        return self.workspace_rules.get(workspace_id, self.rules)

    def seen(self, natural_key: str) -> bool:
        return natural_key in self._seen

    def process(self, event: SignalEvent) -> list[Outcome]:
        """Count one event (once), score its keys, and group any signal into an incident."""
        return self.process_batch([event])

    def _first_time(self, event: SignalEvent) -> bool:
        if event.natural_key in self._seen:
            self.duplicates += 1
            return False
        self._seen[event.natural_key] = None
        if len(self._seen) > self.dedupe_capacity:
            self._seen.popitem(last=False)
        self.processed += 1
        return True

    def process_batch(self, events: list[SignalEvent]) -> list[Outcome]:
        """Count a batch (each event once), score the keys it touched, group signals into incidents."""
        by_workspace: dict[str, list[SignalEvent]] = {}
        for event in events:
            if self._first_time(event):
                by_workspace.setdefault(event.workspace_id, []).append(event)
        outcomes = []
        for workspace_id, batch in by_workspace.items():
            monitors = self._monitors.get(workspace_id)
            if monitors is None:
                monitors = self._monitors[workspace_id] = [KeyedMonitor(b) for b in self.buckets]
                self._recent[workspace_id] = RecentEvents()
            recent = self._recent[workspace_id]
            for event in batch:
                recent.add(event)
            rules = self.rules_for(workspace_id)
            for monitor in monitors:
                for obs, trigger in monitor.observe_batch(batch):
                    for rule in rules:
                        signal = rule.check(obs)
                        if signal is not None:
                            outcomes.append(self._decide(workspace_id, signal, trigger, recent))
        return outcomes

    def _decide(
        self, workspace_id: str, signal: Signal, trigger: SignalEvent, recent: RecentEvents
    ) -> Outcome:
        described: list[SpikeContext] = []

        def context() -> SpikeContext:
            if not described:
                described.append(recent.describe(signal.key, since=signal.at))
            return described[0]

        def about() -> About:
            c = context()
            return About.of(c.top_categories, c.top_entities, c.events)

        decision = self.grouper.offer(workspace_id, signal, about)
        if decision.is_new or decision.escalated:
            return Outcome(signal, decision, context(), trigger)
        return Outcome(signal, decision, _EMPTY, trigger)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_recent"] = {ws: RecentEvents() for ws in self._recent}
        return state

    def checkpoint(self) -> bytes:
        return dump(self)

    @staticmethod
    def restore(blob: bytes) -> SpikeEngine:
        engine = load_as(blob, SpikeEngine)
        engine.__dict__.setdefault("workspace_rules", {})  # checkpoints written before per-workspace rules
        return engine


_EMPTY = SpikeContext((), (), (), 0, 0.0, 0.0)
