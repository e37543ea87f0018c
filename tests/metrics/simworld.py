"""Simulated worlds with known truth, built once per test session and read straight from their exports."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from parallax.metrics.bias import Invitee
from parallax.simulate import simulate_world, write_world

SIM_FEATURES = (
    "route",
    "origin",
    "destination",
    "cabin",
    "loyalty_tier",
    "delay_minutes",
    "disrupted",
    "cancelled",
    "ticket_opened",
)


FOLLOWUP_SHARE = 1 / 3  # a third of the non-respondents phoned (docs/metrics.md, the two-phase figures)


def world(root: Path, seed: int, days: int = 10, followup: float = 0.0) -> Path:
    """A default world, or with a non-response follow-up of that share (same invites and online answers)."""
    out = root / (f"world-{seed}-{days}" + (f"-followup{followup:.3f}" if followup else ""))
    if not (out / "truth" / "summary.json").exists():
        write_world(simulate_world(seed=seed, days=days, followup=followup), out)
    return out


def truth(out: Path) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads((out / "truth" / "summary.json").read_text())
    return summary


def csat_invitees(out: Path) -> list[Invitee]:
    """One invitee per CSAT invitation row, with what the survey export and ticket export know."""
    with (out / "tickets.csv").open() as fh:
        tickets = Counter(row["customer_email"].lower() for row in csv.DictReader(fh))
    invitees = []
    with (out / "surveys.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["score_type"] != "csat":
                continue
            features: dict[str, str | float | bool] = {k: row[k] for k in SIM_FEATURES}
            features["tickets_by_email"] = float(tickets.get(row["email"].lower(), 0))
            score = float(row["score"]) if row["score"] else None
            # in the follow-up sample: phoned, and no online answer (an online answer counts as online)
            called = row.get("followed_up") == "true" and row.get("wave") != "online"
            invitees.append(Invitee(features, score is not None, score, called))
    return invitees


HIDDEN_ATTRIBUTES = ("route", "airport", "cabin", "loyalty_tier")


def answer_counts(out: Path) -> dict[tuple[tuple[str, str], ...], Any]:
    """Counts of CSAT answers (bad = not satisfied) per segment and per two-way combination."""
    from itertools import combinations

    from parallax.metrics.hidden import Counts

    raw: dict[tuple[tuple[str, str], ...], list[int]] = {}
    with (out / "surveys.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["score_type"] != "csat" or not row["score"]:
                continue
            bad = int(float(row["score"]) <= 3)
            pairs = [(a, row[a]) for a in HIDDEN_ATTRIBUTES]
            for key in [(p,) for p in pairs] + list(combinations(pairs, 2)):
                cell = raw.setdefault(key, [0, 0])
                cell[0] += 1
                cell[1] += bad
    return {k: Counts(v[0], v[1]) for k, v in raw.items()}
