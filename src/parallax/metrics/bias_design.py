"""The covariates of the survey correction: what is known about every invitee, as a numeric matrix."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

NUMERIC_BINS = 10
MAX_LEVELS = 60
MAX_CROSS = 150  # levels of a two-way cross (route x cabin fits; route x airport does not)


def design_matrix(rows: Sequence[Mapping[str, str | float | bool]]) -> np.ndarray:
    """Booleans as 0/1, numbers as quantile-bin indicators (any shape of effect), text as one-hot.

    Text attributes with more than MAX_LEVELS values (flight numbers, dates) are left out: they would
    give every invitee a private weight.
    """
    keys = sorted({k for row in rows for k in row})
    columns: list[np.ndarray] = []
    texts: list[tuple[str, int]] = []
    parse = _memo_parse()
    for key in keys:
        values = [row.get(key) for row in rows]
        parsed = [parse(v) for v in values]
        columns.extend(_encode_parsed(parsed))
        if all(isinstance(v, str | None) for v in parsed):
            texts.append((key, len({str(v) for v in values})))
    # Two-way crosses of text attributes: a failure often lives in a combination (route x cabin).
    for k, (first, levels) in enumerate(texts):
        for second, other_levels in texts[k + 1 :]:
            if levels * other_levels > MAX_CROSS:
                continue
            crossed = [parse(f"{row.get(first)}|{row.get(second)}") for row in rows]
            columns.extend(_encode_parsed(crossed, max_levels=MAX_CROSS))
    if not columns:
        return np.zeros((len(rows), 1))
    return np.column_stack(columns)


def _memo_parse() -> Callable[[str | float | bool | None], str | float | bool | None]:
    """``_parse`` remembered per distinct value (invitees repeat a few hundred values thousands of times);
    keyed by type too, since ``True == 1.0`` and both hash alike."""
    seen: dict[tuple[type, object], str | float | bool | None] = {}

    def parse(value: str | float | bool | None) -> str | float | bool | None:
        key = (type(value), value)
        if key not in seen:
            seen[key] = _parse(value)
        return seen[key]

    return parse


def _encode_parsed(parsed: list[str | float | bool | None], max_levels: int = MAX_LEVELS) -> list[np.ndarray]:
    present = [v for v in parsed if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return [np.array([1.0 if v else 0.0 for v in parsed])]
    if present and all(isinstance(v, float) for v in present):
        nums = np.array([v if isinstance(v, float) else np.nan for v in parsed])
        edges = np.unique(np.nanquantile(nums, np.linspace(0, 1, NUMERIC_BINS + 1)[1:-1]))
        binned = np.where(np.isnan(nums), -1, np.searchsorted(edges, nums, side="right"))
        smooth = np.log1p(np.clip(np.nan_to_num(nums), 0, None))
        bins = [(binned == b).astype(float) for b in range(1, len(edges) + 1)]
        return [*bins, smooth, np.isnan(nums).astype(float)]
    levels = sorted({str(v) for v in present})
    if len(levels) > max_levels or len(levels) < 2:
        return []
    index = {level: k for k, level in enumerate(levels)}
    codes = np.array([index.get(str(v), -1) for v in parsed])
    return list((codes[:, None] == np.arange(1, len(levels))).astype(float).T)  # one column per level


def _parse(value: str | float | bool | None) -> str | float | bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if math.isnan(float(value)) else float(value)
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        return text or None
