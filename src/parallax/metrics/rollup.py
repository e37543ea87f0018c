"""The metric roll-up, pure part: day records built from the declared reductions, and cells read back.

A day record holds, for one (attribute, segment value, day), every declared statistic at day grain, the
first-seen counts that make the distinct statistics add up over weeks and all time (``declarations.
first_seen``), and histograms of the ticket durations (``histogram``). Summing the records of a period gives
exactly the statistics the direct query computes for it; medians come back within the histogram's 0.5%.

Example:
    >>> from datetime import date
    >>> monday = {"s": {"interactions": 2, "customers": 2, "csat_5": 1}, "week": {"customers": 2},
    ...           "all": {"customers": 2}, "first_response": {}, "close": histogram([2.0])}
    >>> tuesday = {"s": {"interactions": 1, "customers": 1}, "week": {"customers": 0},
    ...            "all": {"customers": 0}, "first_response": {}, "close": histogram([4.0])}
    >>> rows = [("A", date(2026, 3, 2), monday), ("A", date(2026, 3, 3), tuesday)]
    >>> stats, medians = cells_from_records(rows, "week")
    >>> stats[0].interactions, stats[0].customers, medians[("A", date(2026, 3, 2))]  # exact median: 3.0
    (3, 2, (None, 2.9976))
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from parallax.metrics.cells import CellStats, as_date
from parallax.metrics.declarations import (
    COMBINE,
    CUSTOMER_ATTRIBUTES,
    DISTINCT,
    STATISTICS,
    Scope,
    cell_statistics,
    first_seen,
    ticket_durations,
)
from parallax.metrics.histogram import FLOOR, GROWTH, Histogram, histogram, median, merge

WHOLE = ""  # the attribute of the whole-workspace records
GRAINS = ("week", "all")  # grains whose distinct counts need first-seen counts (day's are the statistic)
LAYOUT = 1  # bump when the record's shape changes

Record = Mapping[str, Any]
Medians = dict[tuple[str, date | None], tuple[float | None, float | None]]


@cache
def version() -> str:
    """Fingerprint of the declarations the records were built from: a changed formula means a rebuild."""
    from parallax.metrics.engines import compile_sql

    # a row attribute and a person attribute (``CUSTOMER_ATTRIBUTES``): their segments are built apart
    probes = (Scope("v", "a", "day"), Scope("v", CUSTOMER_ATTRIBUTES[0], "day"))
    text = "|".join(
        compile_sql(expr, "sqlite")
        for probe in probes
        for expr in (cell_statistics(probe), first_seen(probe), ticket_durations(probe))
    )
    return hashlib.sha256(f"{LAYOUT}|{GROWTH}|{FLOOR}|{text}".encode()).hexdigest()[:32]


def attribute_key(scope: Scope) -> str:
    return WHOLE if scope.attribute is None else scope.attribute


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _midnight(value: datetime | None) -> bool:
    return value is None or value == datetime(value.year, value.month, value.day)


def servable(scope: Scope) -> bool:
    """Whether summing day records answers the scope exactly: whole days, whole weeks for weekly cells, and
    no start for all-time cells (a person first seen before the start would be missed)."""
    if scope.attribute is not None and COMBINE in scope.attribute:
        return False
    if not (_midnight(scope.since) and _midnight(scope.until)):
        return False
    if scope.period == "week":
        return all(t is None or t.weekday() == 0 for t in (scope.since, scope.until))
    if scope.period == "all":
        return scope.since is None
    return True


def day_records(
    stat_rows: Iterable[Mapping[str, Any]],
    duration_rows: Iterable[Mapping[str, Any]],
    first_rows: Mapping[str, Iterable[Mapping[str, Any]]],
) -> dict[tuple[str, date], dict[str, Any]]:
    """Records keyed by (segment, day) from the day-grain reductions and the per-grain first-seen counts."""
    records: dict[tuple[str, date], dict[str, Any]] = {}
    for row in stat_rows:
        s = CellStats.from_row(dict(row))
        assert s.period is not None
        records[(s.segment, s.period)] = {
            "s": s.counts(),
            **{grain: dict.fromkeys(DISTINCT, 0) for grain in GRAINS},
            "first_response": {},
            "close": {},
        }
    durations: dict[tuple[str, date], list[tuple[Any, Any]]] = defaultdict(list)
    for row in duration_rows:
        key = (str(row["segment"]), as_date(row["period"]))
        durations[key].append((row["hours_to_first_response"], row["hours_to_close"]))  # type: ignore[index]
    for key, values in durations.items():
        records[key]["first_response"] = histogram(_num(v[0]) for v in values)
        records[key]["close"] = histogram(_num(v[1]) for v in values)
    for grain, rows in first_rows.items():
        for row in rows:
            day = as_date(row["first"])
            record = records.get((str(row["segment"]), day))  # type: ignore[arg-type]
            if record is not None:  # all-time firsts before the rebuilt range stay in their own records
                record[grain][str(row["stat"])] = int(row["n"])
    return records


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _bucket(day: date, period: str) -> date | None:
    if period == "day":
        return day
    return week_start(day) if period == "week" else None


def cells_from_records(
    rows: Iterable[tuple[str, date, Record]], period: str
) -> tuple[list[CellStats], Medians]:
    """Sum day records into the cells of ``period``: the statistics and the two duration medians."""
    totals: dict[tuple[str, date | None], dict[str, float]] = {}
    hists: dict[tuple[str, date | None], list[tuple[Histogram, Histogram]]] = defaultdict(list)
    for segment, day, record in rows:
        key = (segment, _bucket(day, period))
        total = totals.setdefault(key, dict.fromkeys(STATISTICS, 0))
        counts = record["s"] if period == "day" else {**record["s"], **record[period]}
        for name in STATISTICS:
            total[name] += counts.get(name, 0)
        hists[key].append((record["first_response"], record["close"]))
    stats = [CellStats.from_row({"segment": k[0], "period": k[1], **v}) for k, v in totals.items()]
    medians: Medians = {}
    for key, pairs in hists.items():
        first, close = (merge(*(p[k] for p in pairs)) for k in range(2))
        if first or close:
            medians[key] = (median(first), median(close))
    return sorted(stats, key=lambda s: (s.segment, s.period or date.min)), medians


def rebuild_start(touched: Sequence[datetime | None]) -> date | None:
    """The Monday from which records are rebuilt: the week of the earliest touched moment (None: nothing)."""
    moments = [t for t in touched if t is not None]
    return None if not moments else week_start(min(moments).date())
