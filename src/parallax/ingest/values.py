"""Value specs compiled into getters: where one value of a row comes from and how it is read.

The common cases (a plain text column, an ISO timestamp column) get their own small getter: they run
for every cell of a large import, so each saved call counts. Everything else takes the general path.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parallax.ingest.mapping import TIME_FIELDS, Condition, ValueSpec

Getter = Callable[[dict[str, Any]], Any]
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


class CellError(ValueError):
    """A cell that cannot be read as its target wants; carries the column for the error report."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def is_empty(value: Any) -> bool:
    return value is None or (type(value) is str and not value.strip())


def as_text(value: Any) -> str:
    return value if type(value) is str else str(value)


def as_id(value: Any) -> str:
    """Ids that went through a float (``3.0``, common in pandas exports) read back as ``3``."""
    if type(value) is float and value.is_integer():
        return str(int(value))
    text = as_text(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


@dataclass(frozen=True)
class Field:
    """One compiled target: ``bucket`` is ``segments`` or ``raw`` for dotted targets such as raw.question."""

    target: str
    column: str
    get: Getter
    bucket: str | None = None
    key: str = ""


def compile_field(target: str, spec: ValueSpec) -> Field:
    head, _, key = target.partition(".")
    bucket = head if key and head in ("segments", "raw") else None
    column = spec.column or (spec.columns[0] if spec.columns else target)
    return Field(target, column, _fast_getter(target, spec) or _general_getter(target, spec), bucket, key)


def _fast_getter(target: str, spec: ValueSpec) -> Getter | None:
    """A specialised getter for the common plain cases, or None for the general path."""
    if spec.map is not None or spec.default is not None:
        return None
    if spec.value is not None:
        constant = _general_getter(target, spec)({})  # converted once, e.g. "true" -> True for solicited
        return lambda row: constant
    if spec.column is None:
        return None
    name = spec.column
    is_time = target in TIME_FIELDS or spec.timestamp is not None
    if is_time:
        return _iso_column(name) if (spec.timestamp or "iso") == "iso" else None
    kind = spec.type or {"score_value": "float", "solicited": "bool"}.get(target, "text")
    if kind == "text":
        return _text_column(name)
    if kind == "id":
        return _id_column(name)
    if kind == "float":
        return _float_column(name)
    return None


def _id_column(name: str) -> Getter:
    def get(row: dict[str, Any]) -> Any:
        value = row.get(name)
        if value is None or (type(value) is str and (not value or value.isspace())):
            return None
        return as_id(value)

    return get


def _float_column(name: str) -> Getter:
    def get(row: dict[str, Any]) -> Any:
        value = row.get(name)
        if value is None or (type(value) is str and (not value or value.isspace())):
            return None
        return _float(name, value)

    return get


def _text_column(name: str) -> Getter:
    def get(row: dict[str, Any]) -> Any:
        value = row.get(name)
        if value is None:
            return None
        if type(value) is str:
            return value if value and not value.isspace() else None
        return str(value)

    return get


def _iso_column(name: str) -> Getter:
    parse = datetime.fromisoformat

    def get(row: dict[str, Any]) -> Any:
        value = row.get(name)
        if value is None or type(value) is datetime:
            return value
        if type(value) is str:
            if not value or value.isspace():
                return None
            try:
                return parse(value.strip())
            except ValueError:
                pass
        return _timestamp_reader("iso")(name, value)

    return get


def _general_getter(target: str, spec: ValueSpec) -> Getter:
    origin = _compile_origin(spec)
    convert = converter(target, spec)
    mapping, default = spec.map, spec.default
    column = spec.column or (spec.columns[0] if spec.columns else target)

    def get(row: dict[str, Any]) -> Any:
        value = origin(row)
        if mapping is not None and not is_empty(value):
            value = mapping.get(as_text(value).strip().lower(), value if default is None else default)
        if is_empty(value):
            value = default
        return None if value is None else convert(column, value)

    return get


def _compile_origin(spec: ValueSpec) -> Getter:
    if spec.column is not None:
        name = spec.column
        return lambda row: row.get(name)
    if spec.columns is not None:
        names, join = tuple(spec.columns), spec.join
        if join is None:
            return lambda row: next((row[n] for n in names if not is_empty(row.get(n))), None)
        return lambda row: (
            join.join(as_text(row[n]).strip() for n in names if not is_empty(row.get(n))) or None
        )
    if spec.template is not None:
        return _template(spec.template)
    if spec.hash is not None:
        names = tuple(spec.hash)
        return lambda row: hashlib.sha256(
            "\x1f".join("" if is_empty(row.get(n)) else as_text(row[n]) for n in names).encode()
        ).hexdigest()[:32]
    constant = spec.value
    return lambda row: constant


def _template(template: str) -> Getter:
    names = tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)

    def get(row: dict[str, Any]) -> Any:
        cells = {n: "" if is_empty(row.get(n)) else as_id(row[n]) for n in names}
        if not any(cells.values()):
            return None
        return template.format_map(cells)

    return get


def converter(target: str, spec: ValueSpec) -> Callable[[str, Any], Any]:
    kind = spec.type
    if target in TIME_FIELDS or spec.timestamp is not None:
        return _timestamp_reader(spec.timestamp or "iso")
    if kind == "float" or (kind is None and target == "score_value"):
        return _float
    if kind == "bool" or (kind is None and target == "solicited"):
        return _bool
    if kind == "id":
        return lambda _column, value: as_id(value)
    return lambda _column, value: value if type(value) is str else str(value)


def _float(column: str, value: Any) -> float:
    if type(value) in (float, int):
        return float(value)
    try:
        return float(as_text(value).strip())
    except ValueError:
        raise CellError(column, f"not a number: {as_text(value)[:40]!r}") from None


def _bool(column: str, value: Any) -> bool:
    if type(value) is bool:
        return value
    text = as_text(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise CellError(column, f"not a yes/no value: {text[:40]!r}")


def _timestamp_reader(form: str) -> Callable[[str, Any], datetime]:
    def read(column: str, value: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            if form == "iso":
                return datetime.fromisoformat(as_text(value).strip())
            if form in ("epoch", "epoch_ms"):
                seconds = float(value) / (1000 if form == "epoch_ms" else 1)
                return datetime.fromtimestamp(seconds, UTC)
            return datetime.strptime(as_text(value).strip(), form)
        except (ValueError, TypeError, OverflowError):
            raise CellError(column, f"not a timestamp ({form}): {as_text(value)[:40]!r}") from None

    return read


def compile_condition(condition: Condition) -> Callable[[dict[str, Any]], bool]:
    tests: list[Callable[[dict[str, Any]], bool]] = []
    if condition.present is not None:
        present = condition.present
        tests.append(lambda row: not is_empty(row.get(present)))
    if condition.missing is not None:
        missing = condition.missing
        tests.append(lambda row: is_empty(row.get(missing)))
    for column, expected in (condition.equals or {}).items():
        tests.append(_equals(column, expected.strip().lower()))
    return lambda row: all(test(row) for test in tests)


def _equals(column: str, expected: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: not is_empty(row.get(column)) and as_text(row[column]).strip().lower() == expected
