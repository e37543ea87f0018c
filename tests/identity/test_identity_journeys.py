from __future__ import annotations

import doctest
import importlib
from datetime import datetime, timedelta

import pytest

from parallax.identity.journeys import stats, thread
from parallax.identity.views import InteractionView

T = datetime(2026, 3, 1, 9)


def view(id: int, hours: float, channel: str = "email", **fields: object) -> InteractionView:
    return InteractionView(id, channel, fields.pop("kind", "message"), T + timedelta(hours=hours), **fields)  # type: ignore[arg-type]


def test_same_issue_across_channels_is_one_journey_with_repeats() -> None:
    views = [view(1, 0, "chat"), view(2, 5, "email"), view(3, 30, "twitter", kind="post")]
    (journey,) = thread(views, {1: "baggage", 2: "baggage", 3: "baggage"})
    assert journey.contacts == 3 and journey.repeat_contacts == 2
    assert journey.channels == ["chat", "email", "twitter"]


def test_other_issue_or_outside_window_starts_a_new_journey() -> None:
    views = [view(1, 0), view(2, 1), view(3, 24 * 20)]
    journeys = thread(views, {1: "baggage", 2: "refund", 3: "baggage"})
    assert [j.interaction_ids for j in journeys] == [[1], [2], [3]]


def test_surveys_are_not_contacts_and_replies_give_first_response() -> None:
    views = [
        view(1, 0, "chat"),
        view(2, 0.5, "chat", direction="outbound"),
        view(3, 1, "survey", kind="survey_response"),
    ]
    (journey,) = thread(views)
    assert journey.contacts == 1 and journey.first_response_at() == T + timedelta(hours=0.5)


def test_closed_but_not_resolved_is_attributed_to_the_closer() -> None:
    ticket = view(
        1,
        0,
        "email",
        kind="ticket",
        ticket_id="T9",
        status="solved",
        closed_at=T + timedelta(hours=3),
        segments={"queue": "refunds", "agent": "lee"},
    )
    later = view(2, 20, "twitter", kind="post")
    (journey,) = thread([ticket, later], {1: "refund", 2: "refund"})
    cnr = journey.closed_not_resolved
    assert cnr is not None and (cnr.queue, cnr.agent, cnr.later_contacts) == ("refunds", "lee", (2,))
    # A complaint before the close, or about another issue, does not count.
    (quiet,) = thread([ticket, view(3, 1, "chat")], {1: "refund", 3: "refund"})
    assert quiet.closed_not_resolved is None


def test_stats_show_what_linking_reveals() -> None:
    ticket = view(1, 0, kind="ticket", ticket_id="T1", status="closed", closed_at=T + timedelta(hours=1))
    tweet = view(2, 10, "twitter", kind="post")
    linked = stats({"ann": [ticket, tweet]}, {})
    unlinked = stats({"ann-email": [ticket], "ann-twitter": [tweet]}, {})
    assert (linked.repeat_contacts, linked.closed_not_resolved) == (1, 1)
    assert (unlinked.repeat_contacts, unlinked.closed_not_resolved) == (0, 0)


@pytest.mark.parametrize(
    "name",
    [
        "parallax.identity.normalise",
        "parallax.identity.features",
        "parallax.identity.journeys",
        "parallax.identity.unresolved",
    ],
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
