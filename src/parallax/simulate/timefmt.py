"""Hours since the world's start, as the ISO-8601 UTC strings ('Z') every export uses."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np


def iso(start: datetime, hours: np.ndarray) -> np.ndarray:
    """Vectorised: NaN hours become empty strings (an answer or a closure that did not happen)."""
    base = np.datetime64(start.replace(tzinfo=None), "s")
    missing = np.isnan(hours)
    seconds = np.round(np.where(missing, 0.0, hours) * 3600.0).astype("int64")
    text = np.char.add(np.datetime_as_string(base + seconds.astype("timedelta64[s]"), unit="s"), "Z")
    return np.where(missing, "", text)


def iso_one(start: datetime, hours: float) -> str:
    moment = start.replace(tzinfo=None) + timedelta(seconds=round(hours * 3600.0))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
