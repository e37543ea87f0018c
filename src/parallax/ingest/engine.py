"""The mapping engine: a checked ``MappingSpec`` compiled once into small functions run on every row.

A row is a dict of cells (text from CSV, typed values from JSONL or Parquet). ``Mapper.map_row`` returns
a dict of ``InteractionIn`` fields, or the cells it could not read, each with its column and a reason.
It never raises for a bad cell: one bad row must not stop an import.
"""

from __future__ import annotations

import contextlib
import json
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parallax.ingest.mapping import MappingSpec, ValueSpec
from parallax.ingest.record import InteractionIn
from parallax.ingest.values import CellError, Field, compile_condition, compile_field


@dataclass(frozen=True)
class _Rule:
    test: Callable[[dict[str, Any]], bool]
    fields: tuple[Field, ...]


class Mapper:
    """A compiled mapping. ``source`` overrides the mapping's default source for every row."""

    def __init__(self, spec: MappingSpec, source: str | None = None) -> None:
        self.spec = spec
        self.source = source or spec.source
        self._forced_source = source
        self._fields = tuple(compile_field(t, s) for t, s in spec.fields.items())
        self._segments = tuple(compile_field(k, s) for k, s in spec.segments.items())
        self._rules = tuple(
            _Rule(compile_condition(r.when), tuple(compile_field(t, s) for t, s in r.set.items()))
            for r in spec.rules
        )
        self._columns = {
            f.target: f.column for f in (*self._fields, *(f for r in self._rules for f in r.fields))
        }
        self._skip = (frozenset(columns_of_spec(spec)) - set(spec.keep_in_raw)) | set(spec.ignore)
        # Rows of one file share their columns: the unknown ones are worked out once per column layout.
        self._layout: tuple[str, ...] = ()
        self._unknown: tuple[str, ...] = ()

    def column_of(self, target: str) -> str:
        """The source column behind a target field, for error reports; the target itself if derived."""
        return self._columns.get(target) or target

    def map_row(self, row: dict[str, Any]) -> tuple[dict[str, Any] | None, list[CellError]]:
        if self.spec.canonical:
            return _canonical(row, self._forced_source, self.spec.source), []
        out: dict[str, Any] = {"source": self.source, "segments": {}, "raw": {}}
        errors: list[CellError] = []
        _apply(self._fields, row, out, errors)
        for rule in self._rules:
            if rule.test(row):
                _apply(rule.fields, row, out, errors)
        segments = out["segments"]
        for field in self._segments:
            try:
                value = field.get(row)
            except CellError as exc:
                errors.append(exc)
                continue
            if value is not None:
                text = value if type(value) is str else str(value)
                if text and not text.isspace():
                    segments[field.target] = text.strip()
        raw = out["raw"]
        for key in self._unknown_columns(row):
            value = row[key]
            if value is not None and (type(value) is not str or (value and not value.isspace())):
                raw[key] = value
        return (None, errors) if errors else (out, [])

    def _unknown_columns(self, row: dict[str, Any]) -> tuple[str, ...]:
        layout = tuple(row)
        if layout != self._layout:
            self._layout = layout
            self._unknown = tuple(key for key in layout if key not in self._skip)
        return self._unknown


def _apply(
    fields: tuple[Field, ...], row: dict[str, Any], out: dict[str, Any], errors: list[CellError]
) -> None:
    for field in fields:
        try:
            value = field.get(row)
        except CellError as exc:
            errors.append(exc)
            continue
        if field.bucket is None:
            out[field.target] = value
        elif value is None:
            out[field.bucket].pop(field.key, None)
        else:
            out[field.bucket][field.key] = value


def _canonical(row: dict[str, Any], forced_source: str | None, default_source: str) -> dict[str, Any]:
    """Canonical rows carry the fields themselves; dotted or unknown columns go to segments and raw."""
    out: dict[str, Any] = {}
    segments = _json_object(row.get("segments"))
    raw = _json_object(row.get("raw"))
    known = _CANONICAL_FIELDS
    for key, value in row.items():
        if key in ("segments", "raw") or value is None or value == "":
            continue
        head, _, rest = key.partition(".")
        if head == "segments" and rest:
            segments[rest] = value
        elif head == "raw" and rest:
            raw[rest] = value
        elif key in known:
            out[key] = value
        else:
            raw[key] = value
    if type(out.get("score_value")) is str:
        # Text that is not a number stays text: validation then reports it against score_value.
        with contextlib.suppress(ValueError):
            out["score_value"] = float(out["score_value"])
    out["source"] = forced_source or out.get("source") or default_source
    out["segments"], out["raw"] = segments, raw
    return out


def _json_object(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            loaded = json.loads(value)
        except json.JSONDecodeError:
            return {"unparsed": value}
        return loaded if isinstance(loaded, dict) else {"unparsed": value}
    return {}


def columns_of_spec(spec: MappingSpec) -> set[str]:
    """Every column a mapping reads; the others are unknown and go to ``raw``."""
    specs = [*spec.fields.values(), *spec.segments.values(), *(s for r in spec.rules for s in r.set.values())]
    return set().union(*(columns_of_value(value) for value in specs))


def columns_of_value(value: ValueSpec) -> set[str]:
    """The columns one value spec reads."""
    used: set[str] = set(filter(None, [value.column, *(value.columns or []), *(value.hash or [])]))
    if value.template:
        used.update(n for _, n, _, _ in string.Formatter().parse(value.template) if n)
    return used


_CANONICAL_FIELDS = frozenset(InteractionIn.model_fields) - {"segments", "raw"}
