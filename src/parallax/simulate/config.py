"""Every parameter of the simulated world in one frozen object, so docs/simulator.md can quote it verbatim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

CABINS = ("economy", "premium", "business")
TIERS = ("none", "silver", "gold", "platinum")
DEFAULT_START = datetime(2026, 3, 2, tzinfo=UTC)


@dataclass(frozen=True)
class ExperienceModel:
    """Latent experience ``u`` of a trip: observable covariates, hidden incidents, planted failures, noise.

    ``u = base + cabin + tier + route - delay_k*log1p(delay/30) - disrupted - cancelled - ticket
    - baggage - service - planted + N(0, noise_sd)``; CSAT is ``u`` cut at ``csat_cuts``.
    """

    base: float = 0.8
    cabin: tuple[float, float, float] = (0.0, 0.1, 0.2)
    tier: tuple[float, float, float, float] = (0.0, 0.05, 0.05, -0.05)
    route_sd: float = 0.08
    delay_k: float = 0.75
    disrupted: float = 0.45
    cancelled: float = 0.7
    ticket: float = 0.7
    baggage: float = 0.8
    service: float = 0.5
    noise_sd: float = 0.35
    csat_cuts: tuple[float, float, float, float] = (-1.3, -0.5, 0.2, 0.95)


@dataclass(frozen=True)
class SurveyModel:
    """Who is invited, who answers (mostly by how the trip went) and when the answer arrives."""

    invite_p: float = 0.9
    respond_base: float = -1.05
    respond_per_csat: float = 0.35  # logit slope per CSAT point: the angriest answer least
    respond_per_expected: float = 1.1  # logit slope per unit of the observable part of the experience
    respond_tier: tuple[float, float, float, float] = (0.0, 0.1, 0.2, 0.3)
    nps_share: float = 0.4
    comment_p: float = 0.45
    invite_lag_h: tuple[float, float] = (2.0, 6.0)
    answer_median_h: float = 18.0
    answer_sigma: float = 1.1
    # Non-response follow-up (two-phase sampling): a random share of those with no answer two days after the
    # invite is phoned; off (0) in the default world. Answering the call still leans on the trip, less so.
    followup_share: float = 0.0
    followup_after_h: float = 48.0
    followup_spread_h: float = 8.0  # the call comes within this many hours after followup_after_h
    followup_base: float = 0.2
    followup_per_csat: float = 0.175  # half the online pull of the score itself
    followup_per_expected: float = 0.55  # half the online pull of the observable experience


@dataclass(frozen=True)
class VoiceModel:
    """Who speaks up in public or on private channels, when, how often, and where."""

    complain_base: float = -4.6
    complain_anger: float = 1.25  # per unit of (csat_cut_satisfied - u) when below
    complain_disrupted: float = 1.2
    vocal_sd: float = 0.9
    praise_p: float = 0.012
    neutral_p: float = 0.006
    repeat_mean: float = 0.7
    repeat_unresolved: float = 1.6
    repeat_gap_h: float = 9.0
    first_lag_h: float = 1.5
    review_p: float = 0.015
    channel_weights: tuple[tuple[str, float], ...] = (
        ("twitter", 0.32),
        ("facebook", 0.18),
        ("instagram", 0.1),
        ("review", 0.1),
        ("chat", 0.12),
        ("whatsapp", 0.1),
        ("email", 0.08),
    )


@dataclass(frozen=True)
class TicketModel:
    """Tickets: who opens one, how fast the company answers and closes, and whether it really fixed it."""

    base_p: float = 0.012
    incident_p: float = 0.6
    cancelled_p: float = 0.4
    long_delay_p: float = 0.15
    first_response_median_h: float = 3.0
    backlog_factor: float = 4.0
    close_median_h: float = 40.0
    resolved_p: float = 0.72
    ticket_csat_p: float = 0.35


@dataclass(frozen=True)
class WorldConfig:
    """The knobs of one world; defaults give the documented default world."""

    seed: int = 7
    days: int = 7
    customers: int = 10_000
    start: datetime = DEFAULT_START
    trip_rate: float = 0.075  # mean trips per customer per day
    tier_p: tuple[float, float, float, float] = (0.55, 0.25, 0.14, 0.06)
    tier_rate: tuple[float, float, float, float] = (0.7, 1.1, 1.6, 2.6)
    seats_per_flight: int = 150
    base_cancel_p: float = 0.004
    on_time_p: float = 0.55
    delay_median_min: float = 22.0
    storm_cancel_p: float = 0.3
    storm_delay_median_min: float = 150.0
    baggage_p: float = 0.02
    service_p: float = 0.03
    export_lag_days: float = 3.0
    experience: ExperienceModel = field(default_factory=ExperienceModel)
    survey: SurveyModel = field(default_factory=SurveyModel)
    voice: VoiceModel = field(default_factory=VoiceModel)
    tickets: TicketModel = field(default_factory=TicketModel)

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.customers < 100:
            raise ValueError("customers must be at least 100")
        if self.start.tzinfo is None:
            object.__setattr__(self, "start", self.start.replace(tzinfo=UTC))
