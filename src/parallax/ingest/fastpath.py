"""A fast path for rows that are plainly valid; pydantic stays the judge of everything else.

``InteractionIn.model_validate`` costs tens of microseconds a row, which alone would cap a file import
below its 20,000 rows/s target. Most rows from a mapping are already typed and clean, so ``accept`` checks
them against the *same* constraints (read from the model's own field metadata and the record module's
sets) and returns exactly what ``model_validate(row).model_dump()`` would. Anything it is not sure about
(a wrong type, a bad value, a string it would have to parse in a way pydantic might not) returns ``None``
and goes through pydantic, which gives the authoritative per-row error. The equivalence is tested on
valid and invalid rows alike (tests/ingest/test_ingest_fastpath.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from annotated_types import MaxLen, MinLen
from pydantic import TypeAdapter, ValidationError

from parallax.ingest.record import CHANNELS, KINDS, SCORE_RANGES, SOLICITED_KINDS, InteractionIn
from parallax.kit.clock import to_naive_utc

_FIELDS = tuple(InteractionIn.model_fields)
_KNOWN = frozenset(_FIELDS)
REQUIRED = ("source", "external_id", "channel", "kind", "occurred_at")
TIMES = ("occurred_at", "first_response_at", "closed_at", "invited_at")
_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)
_STRINGS = tuple(
    name for name, info in InteractionIn.model_fields.items() if info.annotation in (str, str | None)
)


def _length_limits() -> dict[str, tuple[int, int]]:
    limits: dict[str, tuple[int, int]] = {}
    for name, info in InteractionIn.model_fields.items():
        low, high = 0, 1 << 62
        for meta in info.metadata:
            if isinstance(meta, MinLen):
                low = meta.min_length
            if isinstance(meta, MaxLen):
                high = meta.max_length
        limits[name] = (low, high)
    return limits


_LIMITS = _length_limits()
STRING_LIMITS = tuple((name, *_LIMITS[name]) for name in _STRINGS)
_EMPTY: dict[str, Any] = {**dict.fromkeys(_FIELDS), "direction": "inbound"}


def accept(row: dict[str, Any]) -> dict[str, Any] | None:
    """The store-ready dict pydantic would produce, or ``None`` when pydantic must decide."""
    if not _KNOWN.issuperset(row):
        return None
    out = _EMPTY.copy()
    out.update(row)
    for name in REQUIRED:
        if out[name] is None:
            return None
    if not (_strings(out) and _times(out) and _choices(out) and _score(out) and _maps(out)):
        return None
    if out["closed_at"] is not None and out["closed_at"] < out["occurred_at"]:
        return None
    return out


def _strings(out: dict[str, Any]) -> bool:
    for name, low, high in STRING_LIMITS:
        value = out[name]
        if value is None:
            continue
        if type(value) is not str:
            return False
        stripped = value.strip()
        if not low <= len(stripped) <= high:
            return False
        if stripped is not value:
            out[name] = stripped
    return True


def _times(out: dict[str, Any]) -> bool:
    for name in TIMES:
        value = out[name]
        if value is None:
            continue
        if type(value) is not datetime:
            try:
                value = _DATETIME.validate_python(value)
            except ValidationError:
                return False
        try:
            out[name] = to_naive_utc(value)
        except OverflowError:  # past year 9999 in UTC: pydantic words the error
            return False
    return True


def _choices(out: dict[str, Any]) -> bool:
    channel, kind = out["channel"].lower(), out["kind"].lower()
    if channel not in CHANNELS or kind not in KINDS or out["direction"] not in ("inbound", "outbound"):
        return False
    out["channel"], out["kind"] = channel, kind
    solicited = out["solicited"]
    if solicited is None:
        out["solicited"] = kind in SOLICITED_KINDS
    elif type(solicited) is not bool:
        return False
    return True


def _score(out: dict[str, Any]) -> bool:
    score_type, value = out["score_type"], out["score_value"]
    if score_type is None and value is None:
        return True
    if score_type is None or value is None or type(value) not in (float, int):
        return False
    score_type = score_type.lower()
    if score_type not in SCORE_RANGES:
        return False
    low, high = SCORE_RANGES[score_type]
    value = float(value)
    if not low <= value <= high:
        return False
    out["score_type"], out["score_value"] = score_type, value
    return True


def _maps(out: dict[str, Any]) -> bool:
    segments, raw = out["segments"], out["raw"]
    if segments is None or raw is None:
        return False
    if type(segments) is not dict or type(raw) is not dict:
        return False
    clean: dict[str, str] = {}
    for key, value in segments.items():
        text, sure = segment_cell(key, value)
        if not sure:
            return False
        if text is not None:
            clean[key] = text
    out["segments"] = clean
    out["raw"] = dict(raw)
    return all(type(key) is str for key in raw)


def segment_cell(key: Any, value: Any) -> tuple[str | None, bool]:
    """A segment value as stored text (None: left out, empty) and whether the fast paths may keep it as is
    (text keys and values without surrounding blanks; anything else goes to the pydantic row path)."""
    if value is None:
        return None, True
    text = value if type(value) is str else str(value)
    if text == "":
        return None, True
    return text, type(key) is str and key == key.strip() and text == text.strip()
