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


def test_the_inside_view_counts_the_main_wave_only(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    """Follow-up answers correct the survey; the company's own CSAT and response rate stay the online ones."""
    from parallax.metrics import rollup_service
    from parallax.metrics.board import compute_board
    from parallax.metrics.declarations import Scope
    from parallax.metrics.engines import StoreEngine
    from parallax.metrics.rollup import WHOLE

    with session_factory() as session:
        insert(session, workspace, _rows())
        direct = compute_board(StoreEngine(session), Scope(workspace, None, "all")).cells[0].inside
        rollup_service.refresh(session, workspace, attributes=[WHOLE])
        rolled = rollup_service.board(session, Scope(workspace, None, "all")).cells[0].inside
    # 42 online answers (32 of them 4-5) of 124 invitations; the 26 phoned answers would make it 68 and 36
    assert direct.csat_n == rolled.csat_n == 42
    assert direct.csat_satisfied_pct == rolled.csat_satisfied_pct == round(100 * 32 / 42, 4)
    assert direct.response_rate_pct == rolled.response_rate_pct == round(100 * 42 / 124, 4)
