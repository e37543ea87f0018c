"""truth/: who everyone really is and what they really lived, for scoring estimators (never ingested)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parallax.simulate.columns import Table, categorical, counter_ids, iso_minutes, strings, write_csv
from parallax.simulate.config import TIERS
from parallax.simulate.exports import customer_table, trip_columns
from parallax.simulate.people import CHANNELS
from parallax.simulate.summary import answered_mask, invited_mask, segment_truth
from parallax.simulate.world import World

SEGMENT_COLUMNS = (
    "segment", "n_invited", "true_pct_satisfied", "true_mean_csat", "planted", "planted_share",
    "inside_planted", "around_planted", "disrupted_area",
)  # fmt: skip


def write_truth(world: World, truth: Path, survey_ids: pa.Array, survey_trip: np.ndarray) -> None:
    people = customer_table(world)
    trip_ids = counter_ids("TR", np.arange(1, len(world.trips) + 1), 8)
    write_csv(truth / "customers.csv", _customers(world, people))
    write_csv(truth / "trips.csv", _trips(world, people, trip_ids))
    write_csv(truth / "identities.csv", _identities(world, people))
    write_csv(truth / "interactions.csv", _links(world, people, trip_ids, survey_ids, survey_trip))
    rows = segment_truth(world)
    write_csv(truth / "segments.csv", {c: pa.array([r[c] for r in rows]) for c in SEGMENT_COLUMNS})
    t = world.tickets
    write_csv(
        truth / "tickets.csv",
        {
            "ticket_id": strings(t.ids()),
            "customer_id": _take(people["customer_id"], t.customer),
            "trip_id": _take(trip_ids, t.trip),
            "resolved": pa.array(t.resolved),
            "closed_unresolved": pa.array(t.closed_unresolved),
        },
    )


def _take(column: pa.Array, index: np.ndarray | list[int]) -> pa.Array:
    return pc.take(column, pa.array(np.asarray(index, dtype=np.int64)))


def _customers(world: World, people: Table) -> Table:
    c = world.customers
    bits = c.channels.astype(np.int64) @ (1 << np.arange(len(CHANNELS)))
    sets = [
        "|".join(ch for j, ch in enumerate(CHANNELS) if code >> j & 1) for code in range(1 << len(CHANNELS))
    ]
    return {
        "customer_id": people["customer_id"],
        "name": people["name"],
        "loyalty_tier": categorical(c.tier, TIERS),
        "loyalty_id": strings(c.loyalty_id),
        "value": pa.array(c.value),
        "trip_rate": pa.array(np.round(c.rate, 4)),
        "vocal": pa.array(np.round(c.vocal, 3)),
        "email": people["email"],
        "channels": categorical(bits, sets),
    }


def _trips(world: World, people: Table, trip_ids: pa.Array) -> Table:
    trips = world.trips
    table: Table = {
        "trip_id": trip_ids,
        "customer_id": _take(people["customer_id"], trips.customer),
        "booking_ref": strings(world.booking_ref),
    }
    table.update(trip_columns(world))
    table.update(
        scheduled_departure=iso_minutes(world.config.start, trips.departure_h),
        storm=pa.array(world.ops.storm[trips.flight]),
        baggage_incident=pa.array(trips.baggage),
        service_incident=pa.array(trips.service),
        planted_failure=pa.array(trips.failure, mask=trips.failure < 0),
        expected_experience=pa.array(np.round(trips.mean_u, 3)),
        experience=pa.array(np.round(trips.u, 3)),
        true_csat=pa.array(trips.csat.astype(np.int64)),
        satisfied=pa.array(trips.satisfied),
        invited=pa.array(invited_mask(world)),
        responded=pa.array(answered_mask(world)),
    )
    return table


def _identities(world: World, people: Table) -> Table:
    """Every identifier a person showed in any file: booking email and name on surveys and tickets too."""
    shown = np.unique(np.concatenate([world.trips.customer[world.surveys.trip], world.tickets.customer]))
    names = people["name"].to_pylist()
    rows: dict[tuple[int, str, str], None] = {}
    for i in shown.tolist():
        rows[(i, "email", world.customers.email[i])] = None
        rows[(i, "name", names[i])] = None
    for key in world.records.identities:
        rows[key] = None
    ordered = sorted(rows)
    return {
        "customer_id": _take(people["customer_id"], [i for i, _, _ in ordered]),
        "kind": strings([kind for _, kind, _ in ordered]),
        "value": strings([value for _, _, value in ordered]),
    }


def _links(
    world: World, people: Table, trip_ids: pa.Array, survey_ids: pa.Array, survey_trip: np.ndarray
) -> Table:
    """Which customer and trip each exported row really belongs to."""
    t, records = world.tickets, world.records.links
    names = ["surveys.csv", "tickets.csv", *sorted({f for f, _, _, _ in records})]
    file_code = np.concatenate(
        [
            np.zeros(len(survey_trip), np.int64),
            np.ones(len(t), np.int64),
            np.array([names.index(f) for f, _, _, _ in records], dtype=np.int64),
        ]
    )
    trip = np.concatenate([survey_trip, t.trip, np.array([x[3] for x in records], dtype=np.int64)])
    customer = world.trips.customer[trip]
    ids = pa.concat_arrays([survey_ids, strings(t.ids()), strings([x[1] for x in records])])
    return {
        "file": categorical(file_code, names),
        "id": ids,
        "customer_id": _take(people["customer_id"], customer),
        "trip_id": _take(trip_ids, trip),
    }
