"""Mirror surveys: employees answer the customers' questionnaire as their *prediction* of the customers'
answers; the gap per dimension shows where the company misreads its customers.

Per dimension each respondent's score is the sum of their answers to its items (CX Index: five items of
1-5, so 5-25). The gap is the employees' mean prediction minus the customers' mean; Welch's t-test (unequal
variances) gives the p-value, adjusted across dimensions with Benjamini-Hochberg.

Example:
    >>> q = load_questionnaire()
    >>> sorted(q.dimensions)[:2], len(q.dimensions["privacy"])
    (['customer_understanding', 'omnichannel_consistency'], 5)
    >>> grid = [(k, f"privacy_{i}") for k in range(20) for i in range(1, 6)]
    >>> answers = [MirrorAnswer(f"c{k}", "customer", item, 2 + k % 2) for k, item in grid]
    >>> answers += [MirrorAnswer(f"e{k}", "employee", item, 4 + k % 2) for k, item in grid]
    >>> gap = mirror_gaps(q, answers)[0]
    >>> gap.dimension, gap.customer_mean, gap.employee_mean, gap.gap, gap.q_value < 0.001
    ('privacy', 12.5, 22.5, 10.0, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from scipy import special

from parallax.kit.errors import ValidationFailed

ROLES = ("customer", "employee")


@dataclass(frozen=True)
class Questionnaire:
    name: str
    scale: tuple[int, int]
    dimensions: dict[str, tuple[str, ...]]  # dimension -> item ids
    labels: dict[str, str]
    statements: dict[str, str] = field(default_factory=dict)  # item id -> the statement respondents rate


@dataclass(frozen=True)
class MirrorAnswer:
    respondent: str
    role: str  # customer | employee (prediction of the customer's answer)
    item: str
    score: float


@dataclass(frozen=True)
class MirrorGap:
    dimension: str
    label: str
    customers: int
    employees: int
    customer_mean: float
    employee_mean: float
    gap: float
    p_value: float
    q_value: float


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """The shipped CX Index questionnaire, or one of the same shape from ``path``."""
    if path is None:
        text = resources.files("parallax.metrics").joinpath("questionnaires/cx_index.yaml").read_text()
    else:
        text = path.read_text()
    data = yaml.safe_load(text)
    dims = {name: tuple(spec["items"]) for name, spec in data["dimensions"].items()}
    labels = {name: spec.get("label", name) for name, spec in data["dimensions"].items()}
    statements = {
        item: str(text)
        for spec in data["dimensions"].values()
        if isinstance(spec["items"], dict)
        for item, text in spec["items"].items()
    }
    return Questionnaire(data["name"], (data["scale"]["min"], data["scale"]["max"]), dims, labels, statements)


def mirror_gaps(q: Questionnaire, answers: Sequence[MirrorAnswer]) -> list[MirrorGap]:
    """One gap per dimension with answers from both sides; largest absolute gap first."""
    item_dimension = {item: dim for dim, items in q.dimensions.items() for item in items}
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for a in answers:
        if a.role not in ROLES:
            raise ValidationFailed(f"role must be customer or employee, got {a.role!r}")
        if a.item not in item_dimension:
            raise ValidationFailed(f"unknown item {a.item!r} for questionnaire {q.name}")
        if not q.scale[0] <= a.score <= q.scale[1]:
            raise ValidationFailed(f"score {a.score} of {a.item} is outside {q.scale}")
        totals[(item_dimension[a.item], a.role, a.respondent)] += a.score
    scores = {
        dim: (
            np.array([v for (d, r, _), v in totals.items() if d == dim and r == "customer"]),
            np.array([v for (d, r, _), v in totals.items() if d == dim and r == "employee"]),
        )
        for dim in q.dimensions
    }
    return gaps_from_scores(q, scores)


def gaps_from_scores(q: Questionnaire, scores: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[MirrorGap]:
    """Gaps from each dimension's (customer, employee) score arrays; largest absolute gap first."""
    rows = []
    for dim, (cust, emp) in scores.items():
        if cust.size < 2 or emp.size < 2:
            continue
        rows.append((dim, cust, emp, welch_p(emp, cust)))
    qvals = _bh([r[3] for r in rows])
    gaps = [
        MirrorGap(
            dim,
            q.labels[dim],
            int(c.size),
            int(e.size),
            round(float(c.mean()), 3),
            round(float(e.mean()), 3),
            round(float(e.mean() - c.mean()), 3),
            p,
            qv,
        )
        for (dim, c, e, p), qv in zip(rows, qvals, strict=True)
    ]
    return sorted(gaps, key=lambda g: -abs(g.gap))


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's t-test (unequal variances), as ``scipy.stats.ttest_ind(a, b,
    equal_var=False)`` gives it, without its per-call overhead (a page runs dozens). Both sides without any
    variance give 1.0: the test is undefined there, and no evidence is the honest reading."""
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se2 = va + vb
    if se2 <= 0:
        return 1.0
    t = (a.mean() - b.mean()) / np.sqrt(se2)
    df = se2**2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(2.0 * special.stdtr(df, -abs(t)))


def _bh(pvalues: list[float]) -> list[float]:
    if not pvalues:
        return []
    p = np.asarray(pvalues)
    order = np.argsort(p)
    ranked = p[order] * len(p) / (np.arange(len(p)) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return [float(v) for v in out]
