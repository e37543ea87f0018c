"""Probabilistic linkage of customers with Splink (Fellegi-Sunter on DuckDB), explainable per link.

The model's m probabilities are set from what each clue means for people (documented in
docs/identity.md); u probabilities are estimated from the data by random sampling once there is enough of
it, so a route everyone flies counts for little. Every link carries its per-comparison match weights.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parallax.identity.features import PersonRecord
from parallax.kit.errors import require

# A link is accepted above this probability: precision matters more than recall when merging people.
DEFAULT_THRESHOLD = 0.99
# Below this many records, random-sampling u estimates are noise; keep the prior u values.
MIN_RECORDS_FOR_U = 500
PRIOR_MATCH_PROBABILITY = 0.0005
COMPARISONS = ("name", "trips", "booking_refs", "routes", "days")


@dataclass(frozen=True)
class Link:
    """A scored pair of records, with the evidence: each comparison's match weight (log2 Bayes factor)."""

    left: int
    right: int
    probability: float
    weight: float
    evidence: dict[str, dict[str, Any]]

    def explanation(self) -> dict[str, Any]:
        return {
            "match_probability": round(self.probability, 6),
            "match_weight": round(self.weight, 3),
            "prior_weight": round(math.log2(PRIOR_MATCH_PROBABILITY / (1 - PRIOR_MATCH_PROBABILITY)), 3),
            "comparisons": self.evidence,
        }


NAME_LEVELS = (
    # (label, SQL condition, m, u): one comparison for names and handle/email stems together, because
    # emails and handles are made from names; counted apart they would double-count one clue.
    ("name and handle/email agree", "name_l = name_r and list_has_any(stems_l, stems_r)", 0.25, 0.0003),
    ("same full name", "name_l = name_r", 0.2, 0.0006),
    ("same handle/email stem", "list_has_any(stems_l, stems_r)", 0.1, 0.0003),
    (
        "name written as the other's handle or email",
        "list_contains(stems_r, name_stem_l) or list_contains(stems_l, name_stem_r)",
        0.1,
        0.0003,
    ),
    (
        "same first name, one side gives no surname",
        "first_name_l = first_name_r and (last_name_l is null or last_name_r is null)",
        0.05,
        0.01,
    ),
    (
        # 'B. Walsh' and 'Ben Walsh'; but 'Ula Novak' is not 'Umar Novak', so both full names must not differ.
        "initial and surname",
        "last_name_l = last_name_r and substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)"
        " and (length(first_name_l) = 1 or length(first_name_r) = 1)",
        0.1,
        0.002,
    ),
)
STEMS_CLOSE = ("handle/email stems close (Jaro-Winkler >= 0.9)", 0.05, 0.001)
NAME_NULL = "(name_l is null and stems_l is null) or (name_r is null and stems_r is null)"


def _name_comparison(cl: Any, cll: Any) -> Any:
    levels = [cll.CustomLevel(NAME_NULL, "no name or handle").configure(is_null_level=True)]
    levels += [cll.CustomLevel(sql, label, base_dialect_str="duckdb") for label, sql, _, _ in NAME_LEVELS]
    close = cll.PairwiseStringDistanceFunctionLevel("stems", "jaro_winkler", 0.9)
    levels += [close.configure(label_for_charts=STEMS_CLOSE[0]), cll.ElseLevel()]
    m = [m for *_, m, _ in NAME_LEVELS] + [STEMS_CLOSE[1]]
    u = [u for *_, u in NAME_LEVELS] + [STEMS_CLOSE[2]]
    return cl.CustomComparison(levels, output_column_name="name").configure(
        m_probabilities=[*m, 1 - sum(m)], u_probabilities=[*u, 1 - sum(u)]
    )


def _comparisons() -> list[Any]:
    """Comparison levels, best first, with m (if same person) and prior u (if different people)."""
    cl = require("splink.comparison_library", "identity")
    cll = require("splink.comparison_level_library", "identity")
    return [
        _name_comparison(cl, cll),
        cl.ArrayIntersectAtSizes("trips", [1]).configure(
            m_probabilities=[0.4, 0.6], u_probabilities=[0.0005, 0.9995]
        ),
        cl.ArrayIntersectAtSizes("booking_refs", [1]).configure(
            m_probabilities=[0.5, 0.5], u_probabilities=[0.00002, 0.99998]
        ),
        # Frequent flyers share routes and days with many people: one level each, modest weight.
        cl.ArrayIntersectAtSizes("routes", [1]).configure(
            m_probabilities=[0.5, 0.5], u_probabilities=[0.08, 0.92]
        ),
        cl.ArrayIntersectAtSizes("days", [1]).configure(
            m_probabilities=[0.5, 0.5], u_probabilities=[0.1, 0.9]
        ),
    ]


def _blocking_rules() -> list[Any]:
    splink = require("splink", "identity")
    block_on = splink.block_on
    return [
        block_on("name"),
        block_on("last_name"),
        block_on("stems", arrays_to_explode=["stems"]),
        block_on("booking_refs", arrays_to_explode=["booking_refs"]),
        block_on("trips", arrays_to_explode=["trips"]),
    ]


def settings() -> Any:
    """The Splink model of a Parallax customer (dedupe within one workspace)."""
    splink = require("splink", "identity")
    return splink.SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=PRIOR_MATCH_PROBABILITY,
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=_blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def _frame(records: Sequence[PersonRecord]) -> Any:
    pandas = require("pandas", "identity")
    frame = pandas.DataFrame([r.as_row() for r in records])
    for column in ("name", "first_name", "last_name"):
        frame[column] = frame[column].astype("string")
    return frame


def _linker(records: Sequence[PersonRecord]) -> Any:
    splink = require("splink", "identity")
    duckdb = require("duckdb", "identity")
    connection = duckdb.connect(":memory:")
    # Splink's pairwise string levels still write DuckDB's old arrow lambdas (x -> ...).
    connection.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")
    db_api = splink.DuckDBAPI(connection)
    linker = splink.Linker(db_api.register(_frame(records)), settings(), log_level=logging.ERROR)
    if len(records) >= MIN_RECORDS_FOR_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    return linker


def _links(frame: Any, threshold: float) -> list[Link]:
    links = []
    for row in frame.to_dict("records"):
        if row["match_probability"] < threshold:
            continue
        evidence: dict[str, dict[str, Any]] = {
            name: {"weight": round(float(row[f"mw_{name}"]), 3)}
            for name in COMPARISONS
            if f"mw_{name}" in row
        }
        for name in evidence:
            if f"gamma_{name}" in row:  # present when scoring pairs, not in a full predict
                evidence[name]["level"] = int(row[f"gamma_{name}"])
        left, right = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
        links.append(Link(left, right, float(row["match_probability"]), float(row["match_weight"]), evidence))
    return sorted(links, key=lambda link: (link.left, link.right))


def predict_links(records: Sequence[PersonRecord], threshold: float = DEFAULT_THRESHOLD) -> list[Link]:
    """Full run: every blocked pair among ``records`` scored; links at or above ``threshold`` returned."""
    if len(records) < 2:
        return []
    linker = _linker(records)
    predictions = linker.inference.predict(warning_mode="never")
    return _links(predictions.as_pandas_dataframe(), threshold)


@functools.lru_cache(maxsize=1)
def _scoring_linker() -> Any:
    """One prior-model linker per process for the incremental path: building one costs about a second,
    scoring a handful of pairs with it a few tens of milliseconds."""
    placeholder = PersonRecord(0, None, None, None, None, (), (), (), (), ())
    return _linker([placeholder])


def warm_up() -> None:
    """Build the incremental scorer now (API or worker start) rather than on the first new interaction."""
    _scoring_linker()


def score_candidates(
    record: PersonRecord, candidates: Sequence[PersonRecord], threshold: float = DEFAULT_THRESHOLD
) -> list[Link]:
    """Incremental run: one new record against a handful of candidates, no blocking, prior model."""
    if not candidates:
        return []
    linker = _scoring_linker()
    rows = [r.as_row() for r in candidates]
    scored = linker.inference.score_pairs([record.as_row()], rows).as_pandas_dataframe()
    return _links(scored, threshold)
