"""The truth in numbers: what an estimator or a detector run on the exports should recover."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.simulate.config import CABINS, TIERS
from parallax.simulate.network import AIRPORT_CODES, ROUTE_CODES, ROUTES
from parallax.simulate.timefmt import iso_one
from parallax.simulate.trips import segment_mask

if TYPE_CHECKING:
    from parallax.simulate.world import World

SEGMENT_ATTRIBUTES = ("airport", "route", "cabin", "loyalty_tier")
PAIRS = tuple(p for p in combinations(SEGMENT_ATTRIBUTES, 2) if p != ("airport", "route"))
MIN_SEGMENT_TRIPS = 30


def _pct(mask: np.ndarray) -> float | None:
    return round(100.0 * float(mask.mean()), 2) if mask.size else None


def _mean(values: np.ndarray) -> float | None:
    return round(float(values.mean()), 4) if values.size else None


def invited_mask(world: World) -> np.ndarray:
    mask = np.zeros(len(world.trips), dtype=bool)
    mask[world.surveys.trip] = True
    return mask


def answered_mask(world: World) -> np.ndarray:
    mask = np.zeros(len(world.trips), dtype=bool)
    mask[world.surveys.trip[world.surveys.answered]] = True
    return mask


def build_summary(world: World, counts: dict[str, int]) -> dict[str, Any]:
    """Headline truth: population vs respondents, the storm, the planted failures, file sizes."""
    trips, config, start = world.trips, world.config, world.config.start
    invited, answered = invited_mask(world), answered_mask(world)
    sat = trips.satisfied
    d = world.disruption
    return {
        "seed": config.seed,
        "days": config.days,
        "start": iso_one(start, 0.0),
        "end": iso_one(start, config.days * 24.0),
        "export_at": iso_one(start, world.export_h),
        "n_customers": len(world.customers),
        "n_trips": len(trips),
        "n_invited": int(invited.sum()),
        "n_responses": int(answered.sum()),
        "n_nps_responses": int((world.surveys.nps >= 0).sum()),
        "response_rate": round(float(answered.sum()) / max(1, int(invited.sum())), 4),
        "true_pct_satisfied": _pct(sat[invited]),
        "naive_pct_satisfied": _pct(sat[answered]),
        "true_pct_satisfied_all_trips": _pct(sat),
        "true_mean_csat": _mean(trips.csat[invited]),
        "naive_mean_csat": _mean(trips.csat[answered]),
        "response_rate_by_true_csat": {
            str(c): round(float(answered[invited & (trips.csat == c)].mean()), 4)
            for c in range(1, 6)
            if (invited & (trips.csat == c)).any()
        },
        "disruption": {
            "kind": d.kind,
            "start": iso_one(start, d.start_h),
            "end": iso_one(start, d.end_h),
            "airports": list(d.airports),
            "routes": list(d.routes),
            "n_flights_hit": int(world.ops.storm.sum()),
            "n_flights_cancelled": int((world.ops.storm & world.ops.cancelled).sum()),
        },
        "planted_failures": [_failure(world, k, invited, answered) for k in range(len(world.failures))],
        "tickets": _tickets(world),
        "voice": _voice(world),
        "n_interactions_by_file": counts,
        "n_interactions": sum(counts.values()),
    } | _followup(world)


def _followup(world: World) -> dict[str, Any]:
    """The non-response follow-up, when the world has one (n_responses and the rates above are online)."""
    s, sat = world.surveys, world.trips.satisfied
    if world.config.survey.followup_share <= 0:
        return {}
    online_non = ~s.answered
    return {
        "followup": {
            "share": world.config.survey.followup_share,
            "n_called": int(s.called.sum()),
            "n_called_without_online_answer": int((s.called & online_non).sum()),
            "n_answered": int(s.by_phone.sum()),
            "true_pct_satisfied_online_non_respondents": _pct(sat[s.trip[online_non]]),
            "naive_pct_satisfied_followup": _pct(sat[s.trip[s.by_phone]]),
        }
    }


def _failure(world: World, k: int, invited: np.ndarray, answered: np.ndarray) -> dict[str, Any]:
    failure, trips = world.failures[k], world.trips
    inside = segment_mask(failure.as_dict(), trips.route, trips.cabin, trips.tier)
    sat = trips.satisfied
    return {
        "segment": failure.as_dict(),
        "cause": failure.cause,
        "penalty": failure.penalty,
        "extra_baggage_p": failure.baggage_p,
        "n_trips": int(inside.sum()),
        "n_invited": int((inside & invited).sum()),
        "n_responses": int((inside & answered).sum()),
        "true_pct_satisfied": _pct(sat[inside & invited]),
        "true_pct_satisfied_elsewhere": _pct(sat[~inside & invited]),
        "naive_pct_satisfied": _pct(sat[inside & answered]),
    }


def _tickets(world: World) -> dict[str, Any]:
    t = world.tickets
    closed = ~np.isnan(t.closed_h)
    wait = t.first_response_h - t.created_h
    return {
        "n_tickets": len(t),
        "n_closed": int(closed.sum()),
        "n_closed_unresolved": int(t.closed_unresolved.sum()),
        "median_first_response_hours": round(float(np.nanmedian(wait)), 2) if len(t) else None,
    }


def _voice(world: World) -> dict[str, Any]:
    d = world.disruption
    at = np.array([u.at_h for u in world.voice if u.category not in ("praise", "neutral")])
    peak = (at >= d.start_h) & (at < d.end_h + 12.0)
    peak_hours = min(d.end_h + 12.0, world.export_h) - d.start_h
    return {
        "n_utterances": len(world.voice),
        "n_complaints": int(at.size),
        "n_speakers": len({u.customer for u in world.voice}),
        "n_repeats": sum(1 for u in world.voice if u.repeat > 0),
        "complaints_per_hour_peak": round(float(peak.sum()) / peak_hours, 3),
        "complaints_per_hour_otherwise": round(float((~peak).sum()) / (world.export_h - peak_hours), 3),
    }


def _codes(world: World) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Each segment attribute as small integer codes per trip, with the names they stand for."""
    t = world.trips
    origin_of_route = np.array([AIRPORT_CODES.index(r.origin) for r in ROUTES])
    return {
        "airport": (origin_of_route[t.route], AIRPORT_CODES),
        "route": (t.route, ROUTE_CODES),
        "cabin": (t.cabin, CABINS),
        "loyalty_tier": (t.tier, TIERS),
    }


def segment_truth(world: World) -> list[dict[str, Any]]:
    """Every single-attribute and two-way segment with enough trips: its true satisfaction and labels."""
    trips = world.trips
    codes = _codes(world)
    invited = invited_mask(world)
    planted = [f.as_dict() for f in world.failures]
    hit = set(world.disruption.airports) | set(world.disruption.routes)
    rows = []
    for group in [(a,) for a in SEGMENT_ATTRIBUTES] + [tuple(p) for p in PAIRS]:
        key = np.zeros(len(trips), dtype=np.int64)
        size = 1
        for attribute in group:
            code, names = codes[attribute]
            key, size = key * len(names) + code, size * len(names)
        count = np.bincount(key[invited], minlength=size)
        sat_sum = np.bincount(key[invited], weights=trips.satisfied[invited], minlength=size)
        csat_sum = np.bincount(key[invited], weights=trips.csat[invited], minlength=size)
        planted_sum = np.bincount(key[invited], weights=trips.failure[invited] >= 0, minlength=size)
        for j in np.flatnonzero(count >= MIN_SEGMENT_TRIPS).tolist():
            segment, rest = {}, j
            for attribute in reversed(group):
                names = codes[attribute][1]
                segment[attribute], rest = names[rest % len(names)], rest // len(names)
            segment = {a: segment[a] for a in group}
            rows.append(
                {
                    "segment": "&".join(f"{a}={v}" for a, v in segment.items()),
                    "n_invited": int(count[j]),
                    "true_pct_satisfied": round(100.0 * sat_sum[j] / count[j], 2),
                    "true_mean_csat": round(csat_sum[j] / count[j], 4),
                    "planted": segment in planted,
                    "planted_share": round(planted_sum[j] / count[j], 4),
                    "inside_planted": any(p.items() < segment.items() for p in planted),
                    "around_planted": any(segment.items() < p.items() for p in planted),
                    "disrupted_area": any(v in hit for v in segment.values()),
                }
            )
    return rows
