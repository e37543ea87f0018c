"""Simulate: an airline world with known truth, to demo Parallax and to check every estimator against it.

Owns the world model (network, customers, trips, disruptions, planted failures, surveys, tickets, public
voice) and the files it writes (docs/simulator.md, notes/FORMATS.md). Pure numpy logic over frozen
dataclasses, deterministic from the seed. Must not import ingest, store, enrich, metrics or delivery code.

Example::

    >>> from parallax.simulate import simulate_world
    >>> world = simulate_world(seed=3, days=2, customers=500)
    >>> len(world.trips) > 0 and world.disruption.kind
    'storm'
    >>> bool(world.trips.csat.min() >= 1 and world.trips.csat.max() <= 5)
    True

``write_world(world, "out/")`` writes surveys.csv, tickets.csv, reviews.csv, social.jsonl,
agent_notes.jsonl and out/truth/ (customers, trips, identities, interactions, segments, tickets,
summary.json), and returns the summary.
"""

from parallax.simulate.config import WorldConfig
from parallax.simulate.world import World, simulate, simulate_world
from parallax.simulate.writer import write_world

__all__ = ["World", "WorldConfig", "simulate", "simulate_world", "write_world"]
