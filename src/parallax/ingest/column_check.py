"""``fastpath.accept``, a column at a time: the checks a mapped CSV batch must pass to skip pydantic.

Every check mirrors one in ``fastpath.accept`` (the same constraints, read from the model): a row that
passes all of them gets exactly the values ``accept`` would return; a row that fails any goes into
``unsure`` and the importer sends it through ``Mapper.map_row`` and ``validate_rows``, which decide and
word the error. Nothing is rejected here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from parallax.ingest.columnar import MappedColumns
from parallax.ingest.fastpath import REQUIRED, STRING_LIMITS, TIMES, segment_cell
from parallax.ingest.record import CHANNELS, KINDS, SCORE_RANGES, SOLICITED_KINDS, InteractionIn
from parallax.ingest.window import DateWindow

FIELDS = tuple(InteractionIn.model_fields)
_DEFAULTS: dict[str, Any] = {"direction": "inbound"}
_UNLIMITED = 1 << 62  # fastpath's bound for a string without max_length


def check_columns(
    mapped: MappedColumns, count: int, window: DateWindow | None = None
) -> dict[str, list[Any]]:
    """One store-ready list per ``InteractionIn`` field; rows ``accept`` would refuse go to ``unsure``, and
    so do rows with a timestamp outside ``window`` (``validate_rows`` rejects them with the same window).

    Every list returned is a new one (the importer writes the row path's answers into them). Time fields
    come out as text, ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC (``insert_interaction_columns``
    takes that or datetimes): zero-padded alike, such texts compare as the instants do."""
    unsure = mapped.unsure
    given = mapped.fields
    columns = {name: given[name] if name in given else [_DEFAULTS.get(name)] * count for name in FIELDS}
    for name in REQUIRED:
        unsure.update(i for i, value in enumerate(columns[name]) if value is None)
    for name, low, high in STRING_LIMITS:
        if name in given:
            columns[name] = _strings(columns[name], low, high, unsure)
    for name in TIMES:
        if name in given:
            columns[name] = _times(columns[name], unsure)
            if window is not None:
                window.mark_outside(columns[name], unsure)
    columns["channel"] = _choice(columns["channel"], CHANNELS, unsure)
    columns["kind"] = _choice(columns["kind"], KINDS, unsure)
    unsure.update(i for i, value in enumerate(columns["direction"]) if value not in ("inbound", "outbound"))
    columns["solicited"] = _solicited(columns["solicited"], columns["kind"], unsure)
    if "score_type" in given or "score_value" in given:
        _scores(columns, unsure)
    columns["segments"] = mapped.segments if mapped.clean_segments else _segments(mapped.segments, unsure)
    columns["raw"] = mapped.raw
    _closed_after_occurred(columns["closed_at"], columns["occurred_at"], unsure)
    return columns


def _strings(values: list[Any], low: int, high: int, unsure: set[int]) -> list[Any]:
    if not all(value is None or type(value) is str for value in values):
        return _strings_one_by_one(values, low, high, unsure)
    out = [value if value is None else value.strip() for value in values]
    if low > 0 or high < _UNLIMITED:
        unsure.update(i for i, value in enumerate(out) if value is not None and not low <= len(value) <= high)
    return out


def _strings_one_by_one(values: list[Any], low: int, high: int, unsure: set[int]) -> list[Any]:
    out: list[Any] = []
    for index, value in enumerate(values):
        if type(value) is not str:
            if value is not None:
                unsure.add(index)
            out.append(None)
            continue
        stripped = value.strip()
        if not low <= len(stripped) <= high:
            unsure.add(index)
        out.append(stripped)
    return out


def _times(values: list[Any], unsure: set[int]) -> list[Any]:
    """As store text, naive UTC: pyarrow's cells are already; Python's datetimes are converted here."""
    if all(value is None or type(value) is str for value in values):
        return values
    out: list[Any] = []
    for index, value in enumerate(values):
        if value is None or type(value) is str:
            out.append(value)
        elif type(value) is datetime:
            try:
                naive = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
            except OverflowError:  # past year 9999 in UTC
                unsure.add(index)
                naive = value.replace(tzinfo=None)
            out.append(naive.isoformat(" ", "microseconds"))
        else:
            unsure.add(index)  # text pydantic might still parse: it decides
            out.append(None)
    return out


def _choice(values: list[Any], allowed: frozenset[str], unsure: set[int]) -> list[Any]:
    lowered = [None if value is None else value.lower() for value in values]
    unsure.update(i for i, value in enumerate(lowered) if value not in allowed)
    return lowered


def _solicited(values: list[Any], kinds: list[Any], unsure: set[int]) -> list[Any]:
    out: list[Any] = []
    for index, (value, kind) in enumerate(zip(values, kinds, strict=True)):
        if value is None:
            out.append(kind in SOLICITED_KINDS)
        else:
            if type(value) is not bool:
                unsure.add(index)
            out.append(value)
    return out


def _scores(columns: dict[str, list[Any]], unsure: set[int]) -> None:
    types, values = columns["score_type"], columns["score_value"]
    out_types: list[Any] = []
    out_values: list[Any] = []
    for index, (score_type, value) in enumerate(zip(types, values, strict=True)):
        if score_type is None and value is None:
            out_types.append(None)
            out_values.append(None)
            continue
        if score_type is None or value is None or type(value) not in (float, int):
            unsure.add(index)
            out_types.append(score_type)
            out_values.append(value)
            continue
        lowered = score_type.lower()
        low, high = SCORE_RANGES.get(lowered, (1.0, 0.0))  # an unknown type fails the range on purpose
        number = float(value)
        if not low <= number <= high:
            unsure.add(index)
        out_types.append(lowered)
        out_values.append(number)
    columns["score_type"], columns["score_value"] = out_types, out_values


def _segments(maps: list[dict[str, Any]], unsure: set[int]) -> list[dict[str, Any]]:
    """Segment maps from the mapping's own section are clean already; dotted targets may not be."""
    out: list[dict[str, Any]] = []
    for index, segments in enumerate(maps):
        clean: dict[str, Any] = {}
        for key, value in segments.items():
            text, sure = segment_cell(key, value)
            if not sure:
                unsure.add(index)
            if text is not None:
                clean[key] = text
        out.append(clean)
    return out


def _closed_after_occurred(closed: list[Any], occurred: list[Any], unsure: set[int]) -> None:
    for index, (end, start) in enumerate(zip(closed, occurred, strict=True)):
        if end is not None and start is not None and end < start:
            unsure.add(index)
