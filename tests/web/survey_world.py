"""A survey world with a non-response follow-up, for the survey page's tests (imported as ``survey_world``).

Phoned non-respondents are less satisfied (CSAT) but more likely to recommend (NPS) than online ones, so the
follow-up measures a gap below for CSAT and above for NPS; without the follow-up the correction is AIPW.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

T0 = datetime(2026, 3, 2, 9)


def invitation(
    n: int, csat: float | None, nps: float | None, route: str, phoned: bool, wave: str
) -> list[dict[str, Any]]:
    segments = {"route": route, "followed_up": str(phoned).lower(), **({"survey_wave": wave} if wave else {})}
    base = {
        "source": "test", "channel": "survey", "solicited": True, "direction": "inbound",
        "occurred_at": T0 + timedelta(minutes=n), "invited_at": T0 + timedelta(minutes=n),
        "author_email": f"p{n}@x.org", "segments": segments,
    }  # fmt: skip
    if csat is None:
        return [{**base, "external_id": f"i{n}", "kind": "survey_invite"}]
    answer = {**base, "kind": "survey_response"}
    return [
        {**answer, "external_id": f"c{n}", "score_type": "csat", "score_value": csat},
        {**answer, "external_id": f"n{n}", "score_type": "nps", "score_value": nps},
    ]


def survey_world(follow_up: bool = True) -> list[dict[str, Any]]:
    """132 invitations on two routes, 60 answered online (the follow-up phones 32 others, 26 answer)."""
    rows: list[dict[str, Any]] = []
    n = 0
    for route, online, phoned in (
        ("A", (5.0, 7.0), [(2.0, 10.0)] * 8 + [(5.0, 10.0)] * 4),
        ("B", (2.0, 3.0), [(2.0, 8.0)] * 14),
    ):
        for _ in range(30):
            rows += invitation(n := n + 1, *online, route, False, "online")
        for _ in range(20):
            rows += invitation(n := n + 1, None, None, route, False, "")
        for csat, nps in phoned if follow_up else ():
            rows += invitation(n := n + 1, csat, nps, route, True, "follow_up")
        for _ in range(3 if follow_up else 0):
            rows += invitation(n := n + 1, None, None, route, True, "")
    return rows
