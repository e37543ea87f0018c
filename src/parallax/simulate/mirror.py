"""The mirror survey: customers answer the CX Index questionnaire, employees answer it as their prediction.

Each customer's answers come from the same latent experience as their trips (the mean of ``u`` over their
trips this period), so a customer who sat through the storm scores customer understanding and omnichannel
consistency low. Employees see the company from inside: their predictions are the customers' true population
mean plus a planted optimism per dimension and team (management sees the rosiest picture, the contact centre
the least rosy). The truth (population means and the planted optimism) goes to ``truth/mirror.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parallax.metrics.mirror import Questionnaire, load_questionnaire

TEAMS = ("contact_centre", "airport", "digital", "loyalty", "management")
# Mean item score (1-5) of a customer with an average experience, and how strongly experience moves it.
ITEM_BASE = {
    "privacy": 3.7,
    "personalization": 3.0,
    "customer_understanding": 2.9,
    "omnichannel_consistency": 2.8,
}
EXPERIENCE_SLOPE = {
    "privacy": 0.15,
    "personalization": 0.4,
    "customer_understanding": 0.9,
    "omnichannel_consistency": 0.8,
}
# Planted optimism of employees, in points of the 5-25 dimension score, and each team's extra.
EMPLOYEE_OPTIMISM = {
    "privacy": 0.5,
    "personalization": 2.5,
    "customer_understanding": 5.0,
    "omnichannel_consistency": 6.0,
}
TEAM_EXTRA = {"contact_centre": -2.0, "airport": 0.0, "digital": 1.0, "loyalty": 0.5, "management": 2.5}


@dataclass(frozen=True)
class MirrorSurvey:
    """Answer sheets: one row per respondent, ``answers[:, j]`` is item ``items[j]`` on 1-5."""

    items: tuple[str, ...]
    role: tuple[str, ...]  # customer | employee
    team: tuple[str, ...]  # employees' team; "" for customers
    customer: np.ndarray  # customer index for customers, -1 for employees
    submitted_h: np.ndarray  # hours after the world's start
    answers: np.ndarray  # int (n, len(items))
    population_mean: dict[str, float]  # true mean dimension score (5-25) over every customer who travelled


def build_mirror(
    customer_u: np.ndarray,
    days: int,
    rng: np.random.Generator,
    customers: int = 800,
    employees: int = 150,
) -> MirrorSurvey:
    """Customers are drawn from those who travelled (``customer_u``: mean latent experience, NaN if none)."""
    q = load_questionnaire()
    items = tuple(item for dim_items in q.dimensions.values() for item in dim_items)
    dimension_of = [dim for dim, dim_items in q.dimensions.items() for _ in dim_items]
    travelled = np.flatnonzero(~np.isnan(customer_u))
    chosen = rng.choice(travelled, size=min(customers, travelled.size), replace=False)
    z = _standardised(customer_u)
    customer_answers = _customer_items(z[chosen], dimension_of, rng)
    population = _population_means(z[travelled], q)
    team = rng.choice(len(TEAMS), size=employees, p=[0.4, 0.25, 0.15, 0.1, 0.1])
    employee_answers = _employee_items(population, team, q, dimension_of, rng)
    n_customers = chosen.size
    return MirrorSurvey(
        items=items,
        role=("customer",) * n_customers + ("employee",) * employees,
        team=("",) * n_customers + tuple(TEAMS[t] for t in team),
        customer=np.concatenate([chosen, np.full(employees, -1)]),
        submitted_h=rng.uniform(max(0.0, (days - 2) * 24.0), days * 24.0, size=n_customers + employees),
        answers=np.vstack([customer_answers, employee_answers]).astype(np.int64),
        population_mean=population,
    )


def _standardised(u: np.ndarray) -> np.ndarray:
    finite = u[~np.isnan(u)]
    if finite.size < 2:
        return np.zeros_like(u)
    return (u - finite.mean()) / max(float(finite.std()), 1e-9)


def _customer_items(z: np.ndarray, dimension_of: list[str], rng: np.random.Generator) -> np.ndarray:
    base = np.array([ITEM_BASE[d] for d in dimension_of])
    slope = np.array([EXPERIENCE_SLOPE[d] for d in dimension_of])
    latent = base[None, :] + slope[None, :] * z[:, None] + rng.normal(0.0, 0.7, size=(z.size, base.size))
    return np.clip(np.rint(latent), 1, 5)


def _population_means(z: np.ndarray, q: Questionnaire) -> dict[str, float]:
    """Expected dimension score over everyone who travelled, rounding and clipping included (Monte Carlo)."""
    rng = np.random.default_rng(0)
    out = {}
    for dim, dim_items in q.dimensions.items():
        latent = ITEM_BASE[dim] + EXPERIENCE_SLOPE[dim] * z[:, None]
        draws = latent + rng.normal(0.0, 0.7, size=(z.size, len(dim_items)))
        out[dim] = round(float(np.clip(np.rint(draws), 1, 5).sum(axis=1).mean()), 3)
    return out


def _employee_items(
    population: dict[str, float],
    team: np.ndarray,
    q: Questionnaire,
    dimension_of: list[str],
    rng: np.random.Generator,
) -> np.ndarray:
    """Each employee's item answers average to their predicted dimension score (population + optimism)."""
    per_item = np.array([population[d] / len(q.dimensions[d]) for d in dimension_of])
    optimism = np.array([EMPLOYEE_OPTIMISM[d] / len(q.dimensions[d]) for d in dimension_of])
    extra = np.array([TEAM_EXTRA[TEAMS[t]] for t in team]) / 5.0
    latent = per_item[None, :] + optimism[None, :] + extra[:, None]
    latent = latent + rng.normal(0.0, 0.6, size=latent.shape)
    return np.clip(np.rint(latent), 1, 5)


def planted_truth(survey: MirrorSurvey) -> dict[str, object]:
    """What ``truth/mirror.json`` holds: the customers' population means and the planted optimism."""
    return {
        "population_mean": survey.population_mean,
        "employee_optimism": EMPLOYEE_OPTIMISM,
        "team_extra": TEAM_EXTRA,
        "customers": int(sum(r == "customer" for r in survey.role)),
        "employees": int(sum(r == "employee" for r in survey.role)),
    }
