"""The mapping engine, a column at a time: the fast path for a CSV batch read by pyarrow.

``Mapper.map_row`` builds a dict a row and calls a getter a cell; on a 1,000-row batch that per-row
bookkeeping cost more than SQLite's own work. ``ColumnMapper`` runs the same compiled value specs over
whole columns (Python lists from the Arrow batch) and returns one list a target. It is a fast path, not a
second judge: wherever a cell cannot be read (a bad timestamp, a number that is not one), the row's index
goes into ``unsure`` and the caller sends that row through ``Mapper.map_row`` and pydantic, which give the
exact per-row error. Rows it does map are mapped exactly as ``map_row`` would
(tests/ingest/test_ingest_columnar.py compares the two on messy files).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from parallax.ingest.engine import Mapper, columns_of_spec, columns_of_value
from parallax.ingest.iso_column import parse_iso_column
from parallax.ingest.json_cells import all_text, json_objects
from parallax.ingest.mapping import TIME_FIELDS, Condition, ValueSpec
from parallax.ingest.values import CellError, as_id, as_text, compile_field, converter

Cells = dict[str, list[Any]]
# (cells, row count, the set collecting the indexes of rows the fast path leaves to the row path) -> values
ColumnGetter = Callable[[Cells, int, set[int]], list[Any]]


# One map a row (segments or raw) while targets fill it; None where no target writes into that map.
_Maps = list[dict[str, Any]] | None
# A rule's target on the rows the rule skips: absent from map_row's dict, so the model's default applies.
_ABSENT = object()
_DEFAULTS = {"direction": "inbound"}
# Targets read as something other than text when the spec names no type.
_CONVERTED = TIME_FIELDS | {"score_value", "solicited"}


def _blank(value: Any) -> bool:
    """``values.is_empty`` for the column loops (``isspace`` answers ``not strip()`` without a copy)."""
    return value is None or (type(value) is str and (not value or value.isspace()))


class ArrowCells(dict[str, list[Any]]):
    """A batch's cells by column, with the Arrow arrays they were read from (a rule's subset has none)."""

    def __init__(self, cells: Cells, arrays: Mapping[str, pa.Array]) -> None:
        super().__init__(cells)
        self.arrays = arrays


@dataclass(frozen=True)
class _Target:
    target: str
    get: ColumnGetter
    bucket: str | None
    key: str


@dataclass(frozen=True)
class _Rule:
    test: Callable[[Cells, int], list[bool]]
    targets: tuple[_Target, ...]
    reads: tuple[str, ...]


@dataclass
class MappedColumns:
    """One list a target field (rows in batch order), the per-row segments and raw maps, and ``unsure``.

    A map is a dict, or already its JSON text (json_cells.py) where only plain text cells fill it."""

    fields: dict[str, list[Any]]
    segments: list[Any]
    raw: list[Any]
    unsure: set[int]
    # True when segments come only from the mapping's segments section: stripped, non-empty text already.
    clean_segments: bool = False


class ColumnMapper:
    """Column-at-a-time twin of a (non-canonical) ``Mapper``; build it with ``ColumnMapper.of``."""

    def __init__(self, mapper: Mapper) -> None:
        spec = mapper.spec
        self.source = mapper.source
        self._fields = tuple(_target(t, s) for t, s in spec.fields.items())
        self._rules = tuple(
            _Rule(
                _condition(rule.when),
                tuple(_target(t, s) for t, s in rule.set.items()),
                tuple(sorted(set().union(*(columns_of_value(s) for s in rule.set.values())))),
            )
            for rule in spec.rules
        )
        self._segments = tuple(_target(k, s) for k, s in spec.segments.items())
        self._rule_targets = {t.target for rule in self._rules for t in rule.targets if t.bucket is None}
        targets = (*self._fields, *(t for rule in self._rules for t in rule.targets))
        dotted = any(t.bucket == "segments" for t in targets)
        self._clean_segments = not dotted and all(key == key.strip() for key in spec.segments)
        self._raw_targets = any(t.bucket == "raw" for t in targets)
        self._skip = (frozenset(columns_of_spec(spec)) - set(spec.keep_in_raw)) | set(spec.ignore)

    @classmethod
    def of(cls, mapper: Mapper) -> ColumnMapper | None:
        """The column mapper for ``mapper``, or None for canonical mappings (their rows name their fields)."""
        return None if mapper.spec.canonical else cls(mapper)

    def map_columns(
        self, cells: Cells, count: int, arrays: Mapping[str, pa.Array] | None = None
    ) -> MappedColumns:
        """Map ``count`` rows given as cells by column; ``arrays`` are the Arrow columns they came from."""
        cells = ArrowCells(cells, arrays or {})
        unsure: set[int] = set()
        # The maps only targets write into are dicts; the others are built as JSON text at the end.
        segment_maps: _Maps = None if self._clean_segments else [{} for _ in range(count)]
        raw_maps: _Maps = [{} for _ in range(count)] if self._raw_targets else None
        out = MappedColumns({"source": [self.source] * count}, [], [], unsure, self._clean_segments)
        pairs = (("segments", segment_maps), ("raw", raw_maps))
        buckets = {name: maps for name, maps in pairs if maps is not None}
        for field in self._fields:
            _store(field, field.get(cells, count, unsure), out.fields, buckets)
        for rule in self._rules:
            self._apply_rule(rule, cells, count, out, buckets)
        for name in self._rule_targets & out.fields.keys():
            default = _DEFAULTS.get(name)
            out.fields[name] = [default if v is _ABSENT else v for v in out.fields[name]]
        segments = [(f.target, _segment_texts(f.get(cells, count, unsure))) for f in self._segments]
        if segment_maps is None:
            out.segments = json_objects(segments, count)
        else:
            out.segments = _fill(segment_maps, segments)
        unknown = [(name, cells[name]) for name in cells if name not in self._skip]
        if raw_maps is None and all(all_text(values) for _, values in unknown):
            out.raw = json_objects([(name, _raw_texts(values)) for name, values in unknown], count)
        else:
            out.raw = _fill(raw_maps or [{} for _ in range(count)], _raw_cells(unknown))
        return out

    def _apply_rule(
        self,
        rule: _Rule,
        cells: Cells,
        count: int,
        out: MappedColumns,
        buckets: dict[str, list[dict[str, Any]]],
    ) -> None:
        """A rule's values are read only on the rows it applies to, so only those can be unsure."""
        where = [index for index, hit in enumerate(rule.test(cells, count)) if hit]
        if not where:
            return
        part = {name: [cells[name][i] for i in where] for name in rule.reads if name in cells}
        part_unsure: set[int] = set()
        for field in rule.targets:
            values = field.get(part, len(where), part_unsure)
            if field.bucket is None:
                # A copy: a plain column's getter may hand back the batch's own cell list, which the
                # rejects file and the row path still read.
                column = list(out.fields.get(field.target) or [_ABSENT] * count)
                out.fields[field.target] = column
                for index, value in zip(where, values, strict=True):
                    column[index] = value
            else:
                maps = buckets[field.bucket]
                for index, value in zip(where, values, strict=True):
                    _put(maps[index], field.key, value)
        out.unsure.update(where[i] for i in part_unsure)


def _segment_texts(values: list[Any]) -> list[str | None]:
    """A segment cell as ``map_row`` keeps it: stripped text, or None (left out) when blank."""
    if not all_text(values):
        values = [v if v is None or type(v) is str else str(v) for v in values]
    return [v.strip() if v and not v.isspace() else None for v in values]


def _raw_texts(values: list[Any]) -> list[str | None]:
    """A raw text cell as ``map_row`` keeps it: as it is, or None (left out) when blank."""
    return [v if v and not v.isspace() else None for v in values]


def _raw_cells(unknown: list[tuple[str, list[Any]]]) -> list[tuple[str, list[Any]]]:
    """Raw cells of any type, None where ``map_row`` leaves the key out (blank text, None)."""
    return [
        (name, [None if v is None or (type(v) is str and (not v or v.isspace())) else v for v in values])
        for name, values in unknown
    ]


def _fill(maps: list[dict[str, Any]], columns: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Each column's non-None cells into the row maps (after what targets put there)."""
    for key, values in columns:
        for target, value in zip(maps, values, strict=True):
            if value is not None:
                target[key] = value
    return maps


def _store(
    field: _Target, values: list[Any], fields: dict[str, list[Any]], buckets: dict[str, list[dict[str, Any]]]
) -> None:
    if field.bucket is None:
        fields[field.target] = values
        return
    for target, value in zip(buckets[field.bucket], values, strict=True):
        _put(target, field.key, value)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _target(target: str, spec: ValueSpec) -> _Target:
    head, _, key = target.partition(".")
    bucket = head if key and head in ("segments", "raw") else None
    return _Target(target, column_getter(target, spec), bucket, key)


def column_getter(target: str, spec: ValueSpec) -> ColumnGetter:
    """The column twin of ``values.compile_field(target, spec).get``: same values, same failing cells."""
    if spec.column is not None:
        return _column_origin(target, spec)
    if (spec.value is not None or spec.clear) and spec.map is None and spec.default is None:
        return _constant(target, spec)
    plain_text = spec.type is None and spec.timestamp is None and target not in _CONVERTED
    if spec.columns is not None and spec.map is None and spec.default is None and plain_text:
        return _joined(spec.columns, spec.join)
    return _per_row(target, spec)


def _column_origin(target: str, spec: ValueSpec) -> ColumnGetter:
    name, mapping, default = spec.column or "", spec.map, spec.default
    convert = _column_converter(target, spec)
    iso = convert is parse_iso_column

    def get(cells: Cells, count: int, unsure: set[int]) -> list[Any]:
        values = cells.get(name) or [None] * count
        if iso and mapping is None and default is None and isinstance(cells, ArrowCells):
            return parse_iso_column(_blanks_to(values, None), unsure, cells.arrays.get(name))
        if mapping is not None:
            fallback = default
            values = [
                v
                if _blank(v)
                else mapping.get(as_text(v).strip().lower(), v if fallback is None else fallback)
                for v in values
            ]
        return convert(_blanks_to(values, default), unsure)

    return get


def _blanks_to(values: list[Any], default: Any) -> list[Any]:
    """Empty and whitespace-only cells become ``default``. Runs on every cell a mapping reads, so the usual
    case (text cells, none blank: pyarrow already gives None for empty ones) is found by C-level scans."""
    try:
        clean = "" not in values and not any(map(str.isspace, filter(None, values)))
    except TypeError:  # a cell that is not text: the general loop
        clean = False
    if clean:
        return values if default is None else [default if v is None else v for v in values]
    return [default if v is None or (type(v) is str and (not v or v.isspace())) else v for v in values]


def _text(values: list[Any], _unsure: set[int]) -> list[Any]:
    if set(map(type, values)) <= _TEXT_TYPES:
        return values
    return [v if v is None or type(v) is str else str(v) for v in values]


_TEXT_TYPES = frozenset({str, type(None)})


def _constant(target: str, spec: ValueSpec) -> ColumnGetter:
    try:
        constant = compile_field(target, spec).get({})  # converted once, as the row getter does
    except CellError:
        return lambda _cells, count, unsure: _all_unsure(count, unsure)
    return lambda _cells, count, _unsure: [constant] * count


def _all_unsure(count: int, unsure: set[int]) -> list[Any]:
    unsure.update(range(count))
    return [None] * count


def _joined(names: list[str], join: str | None) -> ColumnGetter:
    """``columns`` (the first non-empty cell) or ``columns`` + ``join`` (the non-empty cells, stripped)."""

    def get(cells: Cells, count: int, _unsure: set[int]) -> list[Any]:
        columns = [cells.get(name) or [None] * count for name in names]
        if join is None:
            firsts = (next((v for v in row if not _blank(v)), None) for row in zip(*columns, strict=True))
            return [None if _blank(v) else as_text(v) for v in firsts]
        joined = (
            join.join(as_text(v).strip() for v in row if not _blank(v)) for row in zip(*columns, strict=True)
        )
        return [text or None for text in joined]

    return get


def _per_row(target: str, spec: ValueSpec) -> ColumnGetter:
    """Templates, hashes and rarer combinations: the row getter itself, on a dict of the cells it reads."""
    getter = compile_field(target, spec).get
    names = tuple(sorted(columns_of_value(spec)))

    def get(cells: Cells, count: int, unsure: set[int]) -> list[Any]:
        columns = [cells.get(name) or [None] * count for name in names]
        rows = zip(*columns, strict=True) if names else ((),) * count
        out: list[Any] = []
        for index, row in enumerate(rows):
            try:
                out.append(getter(dict(zip(names, row, strict=True))))
            except CellError:
                out.append(None)
                unsure.add(index)
        return out

    return get


def _column_converter(target: str, spec: ValueSpec) -> Callable[[list[Any], set[int]], list[Any]]:
    """Convert non-empty cells; a cell that does not convert marks its row unsure."""
    is_time = target in TIME_FIELDS or spec.timestamp is not None
    kind = spec.type or {"score_value": "float", "solicited": "bool"}.get(target, "text")
    if not is_time and kind == "text":
        return _text
    if not is_time and kind == "id":
        return lambda values, _unsure: [None if v is None else as_id(v) for v in values]
    if target in TIME_FIELDS and (spec.timestamp or "iso") == "iso":
        return parse_iso_column  # text for the store, so only for the time fields themselves
    convert = converter(target, spec)
    column = spec.column or target

    def run(values: list[Any], unsure: set[int]) -> list[Any]:
        out: list[Any] = []
        for index, value in enumerate(values):
            if value is None:
                out.append(None)
                continue
            try:
                out.append(convert(column, value))
            except CellError:
                out.append(None)
                unsure.add(index)
        return out

    return run


def _condition(condition: Condition) -> Callable[[Cells, int], list[bool]]:
    tests: list[Callable[[Cells, int], list[bool]]] = []
    if condition.present is not None:
        present = condition.present
        tests.append(lambda cells, n: [not _blank(v) for v in cells.get(present) or [None] * n])
    if condition.missing is not None:
        missing = condition.missing
        tests.append(lambda cells, n: [_blank(v) for v in cells.get(missing) or [None] * n])
    for column, expected in (condition.equals or {}).items():
        tests.append(_equals(column, expected.strip().lower()))

    def test(cells: Cells, count: int) -> list[bool]:
        masks = [t(cells, count) for t in tests]
        return [all(hits) for hits in zip(*masks, strict=True)] if masks else [True] * count

    return test


def _equals(column: str, expected: str) -> Callable[[Cells, int], list[bool]]:
    def test(cells: Cells, count: int) -> list[bool]:
        values = cells.get(column) or [None] * count
        return [not _blank(v) and as_text(v).strip().lower() == expected for v in values]

    return test
