"""Probabilistic linkage of customers with Splink (Fellegi-Sunter on DuckDB), explainable per link.

The model's m probabilities are set from what each clue means for people (documented in
docs/identity.md); u probabilities are estimated from the data by random sampling once there is enough of
it, so a route everyone flies counts for little. Every link carries its per-comparison match weights.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from parallax.identity.features import PersonRecord, distinct_people, surname_vocabulary, ticket_vocabulary
from parallax.kit.errors import require

# A link is accepted above this probability: precision matters more than recall when merging people.
DEFAULT_THRESHOLD = 0.99
# Below this many records, random-sampling u estimates are noise; keep the prior u values.
MIN_RECORDS_FOR_U = 500
PRIOR_MATCH_PROBABILITY = 0.0005
# A rival candidate within this many bits (8x the odds) of the chosen one makes a link ambiguous.
AMBIGUITY_MARGIN = 3.0
# Routes: the same route on the day of travel, a route in common on other days, none in common. A post or
# review is about a trip, and the booking side (surveys) records the same trips: when both name a route,
# it is mostly the same route on the same day.
ROUTE_M = [0.6, 0.2, 0.2]
COMPARISONS = ("name", "trips", "booking_refs", "tickets", "routes", "days")
# The columns of a record row (``PersonRecord.as_row``) that hold one value; the others hold lists of text.
_SCALAR_COLUMNS = frozenset({"unique_id", "name", "first_name", "last_name", "name_stem"})


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


# A full name: a first name and a surname, neither a bare initial.
_FULL = "length(first_name_{s}) > 1 and length(last_name_{s}) > 1"
# A first name given in full beside a surname or its initial (not a one-word name such as 'NadiaSkyhopper').
_GIVEN = "length(first_name_{s}) > 1 and last_name_{s} is not null"
# The casts: a record scored alone (the incremental path) may have no name at all, an untyped NULL.
_CONTAINS_FIRST = (
    "(length(first_name_{o}) >= 3 and (len(list_filter(coalesce(stems_{s}, []),"
    " x -> contains(x, CAST(first_name_{o} AS VARCHAR)))) > 0 or (last_name_{s} is null"
    " and first_name_{s} <> first_name_{o}"
    " and contains(CAST(first_name_{s} AS VARCHAR), CAST(first_name_{o} AS VARCHAR)))))"
)


def _both(template: str) -> str:
    return f"({template.format(s='l', o='r')} or {template.format(s='r', o='l')})"


NAME_LEVELS = (
    # (label, SQL condition, m, u): one comparison for names and handle/email stems together, because
    # emails and handles are made from names; counted apart they would double-count one clue. Checked in
    # this order, so a conflict of full names is not rescued by a handle stem two namesakes share.
    (
        # People do change names (marriage) and use nicknames, so not impossible; but rare. Surnames come
        # from full names and from handles that spell one ('hbrennan' says Brennan, not Bakker).
        "names or handles give different people",
        f"({_FULL.format(s='l')} and {_FULL.format(s='r')}"
        " and (first_name_l <> first_name_r or last_name_l <> last_name_r))"
        # 'Jonas C.' is not Julia Chen: first names given in full beside a surname (or its initial) differ.
        f" or ({_GIVEN.format(s='l')} and {_GIVEN.format(s='r')} and first_name_l <> first_name_r)"
        " or substr(last_name_l, 1, 1) <> substr(last_name_r, 1, 1)"
        " or substr(first_name_l, 1, 1) <> substr(first_name_r, 1, 1)"
        " or not list_has_any(surnames_l, surnames_r)",
        0.02,
        0.9,
    ),
    (
        "name and handle/email agree",
        "name_l = name_r and last_name_l is not null and list_has_any(stems_l, stems_r)",
        0.22,
        0.0003,
    ),
    # Two posts signed 'Clara' share a first name, not a full name (the 'same first name' level below).
    ("same full name", "name_l = name_r and last_name_l is not null", 0.18, 0.0006),
    ("same handle/email stem", "list_has_any(stems_l, stems_r)", 0.1, 0.0003),
    (
        # 'giannichen', 'chengianni', 'gchen', 'cheng', 'giannic' for Gianni Chen.
        "handle or email built from the other's name",
        "list_has_any(stems_l, name_forms_r) or list_has_any(stems_r, name_forms_l)",
        0.1,
        0.0003,
    ),
    (
        # 'B. Walsh' and 'Ben Walsh'; but 'Ula Novak' is not 'Umar Novak', so both full names must not differ.
        "initial and surname",
        "last_name_l = last_name_r and substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)"
        " and (length(first_name_l) = 1 or length(first_name_r) = 1)",
        0.06,
        0.002,
    ),
    (
        # Review sites and social profiles show 'Wes F.' for Wes Fischer.
        "first name and surname initial",
        "first_name_l = first_name_r and substr(last_name_l, 1, 1) = substr(last_name_r, 1, 1)"
        " and (length(last_name_l) = 1 or length(last_name_r) = 1)",
        0.06,
        0.002,
    ),
    (
        "same first name, one side gives no surname",
        "first_name_l = first_name_r and (last_name_l is null or last_name_r is null)",
        0.06,
        0.01,
    ),
    (
        # 'drifter_jack', 'the.jetsetter.quinn', a reviewer called 'NadiaSkyhopper'.
        "a handle or one-word name holds the other's first name",
        _both(_CONTAINS_FIRST),
        0.06,
        0.002,
    ),
)
STEMS_CLOSE = ("handle/email stems close (Jaro-Winkler >= 0.9)", 0.04, 0.001)
NAME_NULL = "(name_l is null and stems_l is null) or (name_r is null and stems_r is null)"


def _name_comparison(cl: Any, cll: Any) -> Any:
    # Close stems ('annlee', 'annleee') say more than a first name inside a handle: checked before it.
    *named, first_inside = NAME_LEVELS
    levels = [cll.CustomLevel(NAME_NULL, "no name or handle").configure(is_null_level=True)]
    levels += [cll.CustomLevel(sql, label, base_dialect_str="duckdb") for label, sql, _, _ in named]
    close = cll.PairwiseStringDistanceFunctionLevel("stems", "jaro_winkler", 0.9)
    levels.append(close.configure(label_for_charts=STEMS_CLOSE[0]))
    levels += [cll.CustomLevel(first_inside[1], first_inside[0], base_dialect_str="duckdb"), cll.ElseLevel()]
    m = [m for *_, m, _ in named] + [STEMS_CLOSE[1], first_inside[2]]
    u = [u for *_, u in named] + [STEMS_CLOSE[2], first_inside[3]]
    return cl.CustomComparison(levels, output_column_name="name").configure(
        m_probabilities=[*m, 1 - sum(m)], u_probabilities=[*u, 1 - sum(u)]
    )


def _trips_comparison(cl: Any, cll: Any) -> Any:
    """A flight-day in common; but two bookings on one flight-day (each surveyed at its own email) are two
    passengers: one person is not booked twice on the same flight."""
    levels = [
        cll.NullLevel("trips"),
        cll.CustomLevel("list_has_any(booked_trips_l, booked_trips_r)", "two bookings on one flight-day"),
        cll.ArrayIntersectLevel("trips", 1).configure(label_for_charts="same flight-day"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="trips").configure(
        m_probabilities=[0.00001, 0.4, 0.59999], u_probabilities=[0.002, 0.0005, 0.9975]
    )


_LOOSE_ROUTE_DAY = (
    "list_has_any(loose_route_days_l, route_days_r) or list_has_any(loose_route_days_r, route_days_l)"
)


def _routes_comparison(cl: Any, cll: Any) -> Any:
    """A route flown on the same day (a post or review about LHR-AMS the day after a survey's LHR-AMS
    trip), else a route in common at any time: frequent flyers share routes with many people. The day
    counts only where one side's flight is unknown: two surveys on one route-day name two flights."""
    levels = [
        cll.NullLevel("routes"),
        cll.CustomLevel(_LOOSE_ROUTE_DAY, "same route on the day of travel"),
        cll.ArrayIntersectLevel("routes", 1).configure(label_for_charts="a route in common"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="routes").configure(
        m_probabilities=ROUTE_M, u_probabilities=[0.005, 0.075, 0.92]
    )


def _comparisons() -> list[Any]:
    """Comparison levels, best first, with m (if same person) and prior u (if different people)."""
    cl = require("splink.comparison_library", "identity")
    cll = require("splink.comparison_level_library", "identity")
    return [
        _name_comparison(cl, cll),
        _trips_comparison(cl, cll),
        cl.ArrayIntersectAtSizes("booking_refs", [1]).configure(
            m_probabilities=[0.5, 0.5], u_probabilities=[0.00002, 0.99998]
        ),
        # A ticket is one customer's: a message naming it ('they closed T000474') is from that customer,
        # as a booking ref typed in a message is that booking's (same m and prior u).
        cl.ArrayIntersectAtSizes("tickets", [1]).configure(
            m_probabilities=[0.5, 0.5], u_probabilities=[0.00002, 0.99998]
        ),
        _routes_comparison(cl, cll),
        # Frequent flyers are active on many days: one level, modest weight.
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
        block_on("tickets", arrays_to_explode=["tickets"]),
        block_on("route_days", arrays_to_explode=["route_days"]),
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


def _rows(records: Sequence[PersonRecord]) -> list[dict[str, object]]:
    vocabulary, tickets = surname_vocabulary(records), ticket_vocabulary(records)
    return [
        r.as_row()
        | {"surnames": list(r.surnames(vocabulary)) or None, "tickets": list(r.ticket_refs(tickets)) or None}
        for r in records
    ]


def _table(rows: Sequence[dict[str, object]]) -> Any:
    """Record rows as an Arrow table with declared types, so a column that is NULL on every record is still
    text (or a list of text) to DuckDB. Arrow, not pandas: Splink runs on the base install."""
    import pyarrow as pa

    schema = pa.schema(
        [
            (column, pa.int64() if column == "unique_id" else pa.string())
            if column in _SCALAR_COLUMNS
            else (column, pa.list_(pa.string()))
            for column in rows[0]
        ]
    )
    return pa.Table.from_pylist(list(rows), schema=schema)


def _linker(records: Sequence[PersonRecord]) -> Any:
    splink = require("splink", "identity")
    duckdb = require("duckdb", "identity")
    connection = duckdb.connect(":memory:")
    # Splink's pairwise string levels still write DuckDB's old arrow lambdas (x -> ...).
    connection.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")
    connection.execute("SET enable_progress_bar = false")  # no terminal output from a library
    # nor sqlglot's INFO notes ("Applying array index offset") as Splink's SQL is translated for DuckDB
    logging.getLogger("sqlglot").setLevel(logging.WARNING)
    db_api = splink.DuckDBAPI(connection)
    linker = splink.Linker(db_api.register(_table(_rows(records))), settings(), log_level=logging.ERROR)
    if len(records) >= MIN_RECORDS_FOR_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    return linker


def _links(records: Sequence[dict[str, Any]], threshold: float) -> list[Link]:
    links = []
    for row in records:
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


def _weight(probability: float) -> float:
    probability = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(probability / (1 - probability))


def _probability(weight: float) -> float:
    return 1 / (1 + 2**-weight)


def unambiguous(
    links: Sequence[Link],
    threshold: float,
    distinct: Callable[[int, int], bool] = lambda a, b: True,
    booked: Callable[[int], bool] = lambda key: False,
) -> list[Link]:
    """Links at or above ``threshold`` whose ends have no rival: another candidate within
    ``AMBIGUITY_MARGIN`` bits (or stronger) that is ``distinct`` from the chosen one (another person, by
    name), or that is, like the chosen one, a ``booked`` customer with no link of its own to it. A first
    name and a flight fit every namesake on board; when two people fit, the record waits for evidence.
    Two customers who each booked at their own email are joined by evidence between them, not through a
    post that fits both.

    >>> a, b = Link(1, 2, 0.999, 10.0, {}), Link(1, 3, 0.995, 8.0, {})
    >>> [(x.left, x.right) for x in unambiguous([a, b], 0.99)]
    []
    >>> [(x.left, x.right) for x in unambiguous([a, b], 0.99, distinct=lambda x, y: False)]
    [(1, 2), (1, 3)]
    >>> [(x.left, x.right) for x in unambiguous([a, b], 0.99, lambda x, y: False, lambda k: k > 1)]
    []
    """
    candidates: dict[int, list[tuple[int, float]]] = {}
    for link in links:
        candidates.setdefault(link.left, []).append((link.right, link.weight))
        candidates.setdefault(link.right, []).append((link.left, link.weight))
    paired = {(link.left, link.right) for link in links} | {(link.right, link.left) for link in links}

    def rival(key: int, chosen: int, weight: float) -> bool:
        return any(
            other != chosen
            and w >= weight - AMBIGUITY_MARGIN
            and (
                distinct(chosen, other)
                or (booked(chosen) and booked(other) and (chosen, other) not in paired)
            )
            for other, w in candidates[key]
        )

    return [
        link
        for link in links
        if link.probability >= threshold
        and not (rival(link.left, link.right, link.weight) or rival(link.right, link.left, link.weight))
    ]


def coherent(links: Sequence[Link], apart: Callable[[int, int], bool]) -> list[Link]:
    """The links that can all hold at once, strongest first: a link that would put two records ``apart``
    (two people, by name or by booking) into one customer, through the links already kept, is dropped.

    >>> ab, bc = Link(1, 2, 0.999, 12.0, {}), Link(2, 3, 0.995, 8.0, {})
    >>> [(x.left, x.right) for x in coherent([ab, bc], apart=lambda x, y: {x, y} == {1, 3})]
    [(1, 2)]
    """
    members = {key: [key] for link in links for key in (link.left, link.right)}
    root = {key: key for key in members}

    def find(key: int) -> int:
        while root[key] != key:
            key = root[key]
        return key

    kept = []
    for link in sorted(links, key=lambda lk: -lk.weight):
        a, b = find(link.left), find(link.right)
        if a != b:
            if any(apart(x, y) for x in members[a] for y in members[b]):
                continue
            root[b] = a
            members[a] += members.pop(b)
        kept.append(link)
    return sorted(kept, key=lambda link: (link.left, link.right))


def _distinct(records: Sequence[PersonRecord]) -> Callable[[int, int], bool]:
    by_key = {r.key: r for r in records}
    return lambda a, b: distinct_people(by_key[a], by_key[b])


def _apart(records: Sequence[PersonRecord]) -> Callable[[int, int], bool]:
    """Two people: ``distinct_people``, or surnames (given or spelled by a handle) with none in common."""
    vocabulary = surname_vocabulary(records)
    by_key = {r.key: r for r in records}
    surnames = {r.key: set(r.surnames(vocabulary)) for r in records}

    def apart(a: int, b: int) -> bool:
        sa, sb = surnames[a], surnames[b]
        return distinct_people(by_key[a], by_key[b]) or bool(sa and sb and not sa & sb)

    return apart


def predict_links(records: Sequence[PersonRecord], threshold: float = DEFAULT_THRESHOLD) -> list[Link]:
    """Full run: every blocked pair among ``records`` scored; links at or above ``threshold`` returned."""
    if len(records) < 2:
        return []
    linker = _linker(records)
    floor = _probability(_weight(threshold) - AMBIGUITY_MARGIN)
    predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    booked = {r.key for r in records if r.booked_trips}
    links = unambiguous(
        _links(predictions.as_record_list(), floor), threshold, _distinct(records), booked.__contains__
    )
    return coherent(links, _apart(records))


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
    rows = _rows([record, *candidates])
    scored = linker.inference.score_pairs(rows[:1], rows[1:]).as_record_list()
    booked = {c.key for c in candidates if c.booked_trips}
    return unambiguous(_links(scored, 0.0), threshold, _distinct([record, *candidates]), booked.__contains__)
