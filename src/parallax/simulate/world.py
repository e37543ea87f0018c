"""Assemble a whole world from a seed: network, people, trips, surveys, tickets, voices, reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from parallax.simulate.config import DEFAULT_START, SurveyModel, WorldConfig
from parallax.simulate.events import Disruption, PlantedFailure, choose_disruption, plant_failures
from parallax.simulate.mirror import MirrorSurvey, build_mirror
from parallax.simulate.names import FIRST_NAMES
from parallax.simulate.network import ROUTE_CODES, ROUTES, Schedule, build_schedule
from parallax.simulate.people import Customers, IdentityBook, build_customers
from parallax.simulate.records import Records, build_records
from parallax.simulate.reviews import Review, build_reviews
from parallax.simulate.surveys import Surveys, build_surveys
from parallax.simulate.text import TripText
from parallax.simulate.tickets import AgentNote, Tickets, agent_notes, build_tickets
from parallax.simulate.trips import FlightOps, Trips, booking_refs, build_trips, flight_ops
from parallax.simulate.voice import Utterance, build_voice

STAGES = ("schedule", "disruption", "failures", "customers", "ops", "trips", "surveys", "tickets", "notes")
STAGES_2 = ("voice", "reviews", "mirror")


@dataclass(frozen=True)
class World:
    """Everything that happened, with the truth; ``write_world`` turns it into files."""

    config: WorldConfig
    schedule: Schedule
    disruption: Disruption
    failures: tuple[PlantedFailure, ...]
    customers: Customers
    ops: FlightOps
    trips: Trips
    booking_ref: np.ndarray
    surveys: Surveys
    tickets: Tickets
    notes: tuple[AgentNote, ...]
    voice: tuple[Utterance, ...]
    reviews: tuple[Review, ...]
    records: Records
    mirror: MirrorSurvey

    @property
    def export_h(self) -> float:
        """Files are exported this many hours after the start: later answers and posts are not in them."""
        return (self.config.days + self.config.export_lag_days) * 24.0


def simulate_world(
    seed: int = 7,
    days: int = 7,
    customers: int = 10_000,
    start: datetime = DEFAULT_START,
    followup: float = 0.0,
) -> World:
    """Simulate a world; the same arguments always give the same world (see docs/simulator.md).

    ``followup``: the share of survey non-respondents phoned by a follow-up wave (0: none). The invites and
    online answers are the same either way.
    """
    survey = SurveyModel(followup_share=followup)
    return simulate(WorldConfig(seed=seed, days=days, customers=customers, start=start, survey=survey))


def simulate(config: WorldConfig) -> World:
    """Like ``simulate_world`` with every parameter of ``WorldConfig`` open to change."""
    streams = np.random.SeedSequence(config.seed).spawn(len(STAGES) + len(STAGES_2))
    rng = {name: np.random.default_rng(s) for name, s in zip(STAGES + STAGES_2, streams, strict=True)}
    export_h = (config.days + config.export_lag_days) * 24.0
    schedule = build_schedule(config, rng["schedule"])
    disruption = choose_disruption(config, rng["disruption"])
    failures = plant_failures(rng["failures"], disruption)
    people = build_customers(config, rng["customers"])
    ops = flight_ops(config, schedule, disruption, rng["ops"])
    trips = build_trips(config, people, schedule, ops, failures, rng["trips"])
    refs = booking_refs(len(trips), config.seed)
    text = _trip_text(schedule, trips, refs, people)
    surveys = build_surveys(config, trips, text, export_h, rng["surveys"])
    lounge = next(i for i, f in enumerate(failures) if "loyalty_tier" in f.as_dict())
    tickets = build_tickets(config, trips, people, text, disruption, export_h, lounge, rng["tickets"])
    notes = agent_notes(tickets, text, export_h, rng["notes"])
    causes = tuple(_cause_category(f) for f in failures)
    voice = build_voice(config, trips, people, tickets, text, causes, export_h, rng["voice"])
    reviews = build_reviews(config, trips, voice, text, export_h, rng["reviews"])
    route_codes = np.array(ROUTE_CODES)
    book = IdentityBook(people)
    records = build_records(
        config.start, people, book, trips, refs, route_codes, tickets, notes, voice, reviews
    )
    mirror = build_mirror(_mean_experience(trips, len(people)), config.days, rng["mirror"])
    return World(
        config, schedule, disruption, failures, people, ops, trips, refs, surveys, tickets,
        tuple(notes), tuple(voice), tuple(reviews), records, mirror,
    )  # fmt: skip


def _mean_experience(trips: Trips, customers: int) -> np.ndarray:
    """Each customer's mean latent experience over their trips; NaN for those who did not travel."""
    count = np.bincount(trips.customer, minlength=customers).astype(float)
    total = np.bincount(trips.customer, weights=trips.u, minlength=customers)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _trip_text(schedule: Schedule, trips: Trips, refs: np.ndarray, people: Customers) -> TripText:
    origin = np.array([r.origin for r in ROUTES])[trips.route]
    destination = np.array([r.destination for r in ROUTES])[trips.route]
    return TripText(
        flight_code=schedule.flight_codes()[trips.flight].tolist(),
        origin=origin.tolist(),
        destination=destination.tolist(),
        ref=refs.tolist(),
        delay_min=trips.delay_min.tolist(),
        first_name=np.array(FIRST_NAMES)[people.first].tolist(),
    )


def _cause_category(failure: PlantedFailure) -> str:
    """Which public template family a planted failure's victims use."""
    segment = failure.as_dict()
    if "loyalty_tier" in segment:
        return "lounge"
    if "cabin" in segment:
        return "seat"
    if "route" in segment:
        return "aircraft"
    return "baggage"
