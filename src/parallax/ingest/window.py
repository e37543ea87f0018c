"""The window of accepted timestamps: no interaction dated before a floor or more than a little ahead of now.

One row dated 2099 once moved a workspace's executive view to 2099 and hid every real row; year 0001 was
accepted too. Every time field of a row (``occurred_at``, ``first_response_at``, ``closed_at``,
``invited_at``) must fall inside ``[earliest, now + future]``; a row outside is rejected with its field,
its value and the window, and the other rows of the batch go on. ``now`` is passed in by the caller
(the CLI or the API, from the clock) and so are the bounds (from settings: ``PARALLAX_INGEST_EARLIEST``,
``PARALLAX_INGEST_FUTURE_DAYS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from parallax.ingest.fastpath import TIMES
from parallax.kit.clock import to_naive_utc

DEFAULT_EARLIEST = date(2000, 1, 1)
DEFAULT_FUTURE_DAYS = 2.0


@dataclass(frozen=True)
class DateBounds:
    """The configured bounds; ``at(now)`` turns them into the window of one import or one request."""

    earliest: date = DEFAULT_EARLIEST
    future_days: float = DEFAULT_FUTURE_DAYS

    def at(self, now: datetime) -> DateWindow:
        try:
            latest = to_naive_utc(now) + timedelta(days=self.future_days)
        except OverflowError:
            latest = datetime.max
        return DateWindow(datetime.combine(self.earliest, time()), latest)


@dataclass(frozen=True)
class DateWindow:
    """Accepted timestamps, both ends included, as naive UTC."""

    earliest: datetime
    latest: datetime

    def describe(self) -> str:
        return f"{self.earliest:%Y-%m-%d %H:%M} to {self.latest:%Y-%m-%d %H:%M} UTC"

    def reason(self, value: datetime) -> str:
        side = "before the earliest accepted date" if value < self.earliest else "too far in the future"
        return f"{value.isoformat(' ', 'seconds')} is {side}: accepted {self.describe()}"

    def row_errors(self, row: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, reason) for each time field of a validated row (naive UTC datetimes) outside the window."""
        found = []
        for name in TIMES:
            value = row.get(name)
            if isinstance(value, datetime) and not self.earliest <= value <= self.latest:
                found.append((name, self.reason(value)))
        return found

    def mark_outside(self, values: list[Any], unsure: set[int]) -> None:
        """Rows of a time column (store text ``YYYY-MM-DD HH:MM:SS.ffffff``, which compares as the instants
        do) outside the window go to ``unsure``: the row path then rejects them with ``row_errors``."""
        low = self.earliest.isoformat(" ", "microseconds")
        high = self.latest.isoformat(" ", "microseconds")
        unsure.update(i for i, value in enumerate(values) if type(value) is str and not low <= value <= high)
