"""The survey correction reads the follow-up design from the store: the segments the survey mapping writes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from parallax.metrics.service import survey_bias

from .factories import T0, insert, survey


def _invite(n: int, score: float | None, route: str, followed_up: bool, wave: str) -> dict[str, Any]:
    row = survey(str(n), score, route, at=T0 + timedelta(minutes=n), email=f"p{n}@x.org")
    row["segments"] |= {"followed_up": "true" if followed_up else "false"}
    if wave:
        row["segments"]["survey_wave"] = wave
    return row


def _rows() -> list[dict[str, Any]]:
    """Route A answers online happily; the phoned non-respondents of both routes are mostly unhappy."""
    rows, n = [], 0
    for route, online, silent, phoned in (
        ("A", [5.0] * 30, 20, [2.0] * 8 + [5.0] * 4),
        ("B", [2.0] * 10, 30, [2.0] * 14),
    ):
        for score in online:
            rows.append(_invite(n := n + 1, score, route, False, "online"))
        rows.append(_invite(n := n + 1, 4.0, route, True, "online"))  # phoned, then answered online anyway
        for _ in range(silent):
            rows.append(_invite(n := n + 1, None, route, False, ""))
        for score in phoned:
            rows.append(_invite(n := n + 1, score, route, True, "follow_up"))
        for _ in range(3):
            rows.append(_invite(n := n + 1, None, route, True, ""))
    return rows


def test_a_follow_up_in_the_store_makes_the_correction_two_phase(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        insert(session, workspace, _rows())
        result = survey_bias(session, workspace, samples=10).csat
    assert result is not None and result.method == "two_phase"
    # the late online answers count online; the phoned without one are the follow-up sample
    assert (result.responded, result.followed_up, result.followup_responded) == (42, 32, 26)
    assert result.naive > 70 and result.corrected < result.naive - 20
    assert result.nonrespondent_gap is not None and result.nonrespondent_gap > 0
