"""The export tables (surveys, tickets) as Arrow columns, vectorised so a million rows stay quick."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parallax.simulate.columns import (
    Table,
    categorical,
    counter_ids,
    dates,
    iso_minutes,
    nullable_ints,
    strings,
)
from parallax.simulate.config import CABINS, TIERS
from parallax.simulate.names import FIRST_NAMES, LAST_NAMES
from parallax.simulate.network import AIRPORT_CODES, ROUTE_CODES, ROUTES

if TYPE_CHECKING:
    from parallax.simulate.world import World

SURVEY_COLUMNS = (
    "response_id", "respondent", "email", "score_type", "score", "comment", "invited_at", "submitted_at",
    "route", "origin", "destination", "airport", "cabin", "loyalty_tier", "flight_number", "trip_date",
    "delay_minutes", "disrupted",
    # beyond FORMATS.md (kept in ``raw`` by the survey mapping): covariates a company export usually has
    "cancelled", "ticket_opened",
)  # fmt: skip
TICKET_COLUMNS = (
    "ticket_id", "customer_email", "channel", "created_at", "first_response_at", "closed_at", "status",
    "csat", "subject", "description", "queue", "agent", "route", "loyalty_tier",
)  # fmt: skip
REVIEW_COLUMNS = ("review_id", "author", "stars", "title", "text", "date", "platform", "route")


def full_names(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return np.char.add(np.char.add(np.array(FIRST_NAMES)[first], " "), np.array(LAST_NAMES)[last])


def customer_table(world: World) -> dict[str, pa.Array]:
    """Per-customer identity columns: take() them with a customer index."""
    c = world.customers
    return {
        "customer_id": counter_ids("C", np.arange(1, len(c) + 1), 7),
        "name": strings(full_names(c.first, c.last)),
        "email": strings(c.email),
    }


def trip_columns(world: World) -> Table:
    """Per-trip segment columns, shared by surveys.csv and truth/trips.csv."""
    trips = world.trips
    origin = np.array([AIRPORT_CODES.index(r.origin) for r in ROUTES])[trips.route]
    destination = np.array([AIRPORT_CODES.index(r.destination) for r in ROUTES])[trips.route]
    numbers, flight_code = np.unique(world.schedule.number[trips.flight], return_inverse=True)
    return {
        "route": categorical(trips.route, ROUTE_CODES),
        "origin": categorical(origin, AIRPORT_CODES),
        "destination": categorical(destination, AIRPORT_CODES),
        "airport": categorical(origin, AIRPORT_CODES),
        "cabin": categorical(trips.cabin, CABINS),
        "loyalty_tier": categorical(trips.tier, TIERS),
        "flight_number": categorical(flight_code.ravel(), [f"PX{n}" for n in numbers.tolist()]),
        "trip_date": dates(world.config.start, trips.departure_h),
        "delay_minutes": pa.array(trips.delay_min.astype(np.int64)),
        "disrupted": pa.array(trips.disrupted),
        "cancelled": pa.array(trips.cancelled),
        "ticket_opened": pa.array(trips.ticket),
    }


def survey_table(world: World) -> tuple[Table, np.ndarray]:
    """One row per (invite, question), by invite time: every invite has a CSAT row, NPS answers add one.

    Returns the columns and, per row, the trip index (for truth links).
    """
    s, trips, start = world.surveys, world.trips, world.config.start
    order = np.argsort(s.invited_h, kind="stable")
    nps = s.nps[order]
    has_nps = nps >= 0
    invite = np.concatenate([np.arange(order.size), np.flatnonzero(has_nps)])
    is_nps = np.concatenate([np.zeros(order.size, bool), np.ones(int(has_nps.sum()), bool)])
    rows = np.lexsort((is_nps, invite))
    invite, is_nps = invite[rows], is_nps[rows]
    pick = order[invite]  # index into the Surveys columns, per row
    trip = s.trip[pick]
    answered = s.answered[pick] | s.by_phone[pick]
    who = pa.array(trips.customer[trip].astype(np.int64))
    people = customer_table(world)
    comments = strings(s.comment)
    score = np.where(is_nps, s.nps[pick], trips.csat[trip])
    table: Table = {
        "response_id": counter_ids("SV", invite + 1, 7, categorical(is_nps, ("-csat", "-nps"))),
        "respondent": pc.take(people["name"], who),
        "email": pc.take(people["email"], who),
        "score_type": categorical(is_nps, ("csat", "nps")),
        "score": nullable_ints(score, ~answered),
        "comment": pc.if_else(pa.array(is_nps), "", pc.take(comments, pa.array(pick))),
        "invited_at": iso_minutes(start, s.invited_h[pick]),
        "submitted_at": iso_minutes(start, s.submitted_h[pick]),
    }
    per_trip = trip_columns(world)
    where = pa.array(trip.astype(np.int64))
    for name in SURVEY_COLUMNS[8:]:
        table[name] = pc.take(per_trip[name], where)
    if world.config.survey.followup_share > 0:
        table.update(followup_columns(s.called[pick], s.by_phone[pick], answered))
    return table, trip


def followup_columns(called: np.ndarray, by_phone: np.ndarray, answered: np.ndarray) -> Table:
    """``followed_up`` (phoned as a non-respondent) and ``wave`` of the answer (online, follow_up, empty)."""
    wave = np.where(by_phone, "follow_up", np.where(answered, "online", ""))
    return {"followed_up": pa.array(called), "wave": strings(wave)}


def ticket_table(world: World) -> Table:
    t, start = world.tickets, world.config.start
    per_trip = trip_columns(world)
    where = pa.array(t.trip.astype(np.int64))
    return {
        "ticket_id": strings(t.ids()),
        "customer_email": pc.take(customer_table(world)["email"], pa.array(t.customer.astype(np.int64))),
        "channel": strings(t.channel),
        "created_at": iso_minutes(start, t.created_h),
        "first_response_at": iso_minutes(start, t.first_response_h),
        "closed_at": iso_minutes(start, t.closed_h),
        "status": strings(t.status),
        "csat": nullable_ints(t.csat, t.csat < 1),
        "subject": strings(t.subject),
        "description": strings(t.description),
        "queue": strings(t.queue),
        "agent": strings(t.agent),
        "route": pc.take(per_trip["route"], where),
        "loyalty_tier": pc.take(per_trip["loyalty_tier"], where),
    }


def mirror_table(world: World) -> Table:
    """mirror.csv: one answer sheet a row (customers and employees), the CX Index items as columns."""
    m = world.mirror
    is_customer = m.customer >= 0
    index = np.where(is_customer, m.customer, 0)
    email = np.array(world.customers.email, dtype=object)[index]
    tier = np.array(TIERS, dtype=object)[world.customers.tier[index]]
    table: Table = {
        "response_id": counter_ids("MR", np.arange(1, m.customer.size + 1), 6),
        "role": strings(list(m.role)),
        "team": pa.array([t or None for t in m.team], type=pa.string()),
        "email": pa.array(email.tolist(), type=pa.string(), mask=~is_customer),
        "loyalty_tier": pa.array(tier.tolist(), type=pa.string(), mask=~is_customer),
        "submitted_at": iso_minutes(world.config.start, m.submitted_h),
    }
    for j, item in enumerate(m.items):
        table[item] = pa.array(m.answers[:, j])
    return table


# The airline's flight-status feed: `parallax stream publish-flights flights.csv` (docs/realtime.md).
FLIGHT_COLUMNS = ("message_id", "flight", "origin", "destination", "scheduled", "status", "delay_min")
ON_TIME_MIN = 15.0  # the industry's on-time line: a flight 15 minutes late or more is reported delayed


def flight_status_table(world: World) -> Table:
    """Every scheduled flight as the feed reports it at its scheduled departure, in departure order."""
    schedule, ops = world.schedule, world.ops
    order = np.argsort(schedule.departure_h, kind="stable")
    route = schedule.route[order]
    delay = np.round(ops.delay_min[order]).astype(np.int64)
    cancelled = ops.cancelled[order].astype(bool)
    status = np.where(cancelled, 2, np.where(delay >= ON_TIME_MIN, 1, 0))
    flight = schedule.flight_codes()[order]
    scheduled = iso_minutes(world.config.start, schedule.departure_h[order])
    return {
        "message_id": pc.binary_join_element_wise(strings(flight), scheduled, "@"),
        "flight": strings(flight),
        "origin": categorical(route, [r.origin for r in ROUTES]),
        "destination": categorical(route, [r.destination for r in ROUTES]),
        "scheduled": scheduled,
        "status": categorical(status, ("scheduled", "delayed", "cancelled")),
        "delay_min": pa.array(np.where(cancelled, 0, delay)),
    }
