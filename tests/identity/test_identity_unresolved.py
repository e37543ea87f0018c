"""Closed but not resolved: the customer's own word after a ticket closed (identity/unresolved.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from parallax.identity.journeys import stats, thread
from parallax.identity.unresolved import another_booking, closed_not_resolved, naming_index
from parallax.identity.views import InteractionView, Reading

T = datetime(2026, 3, 1, 9)
CLOSED = T + timedelta(hours=3)
NEGATIVE = Reading(sentiment="negative")
THANKS = Reading(sentiment="positive", signals={"helped": 0.85})
NEUTRAL = Reading(sentiment="neutral", signals={"friction": 0.1})


def view(id: int, hours: float, channel: str = "email", **fields: object) -> InteractionView:
    return InteractionView(id, channel, fields.pop("kind", "message"), T + timedelta(hours=hours), **fields)  # type: ignore[arg-type]


def ticket(id: int = 1, ticket_id: str = "T000203", **fields: object) -> InteractionView:
    values: dict[str, object] = {
        "kind": "ticket",
        "ticket_id": ticket_id,
        "status": "solved",
        "closed_at": CLOSED,
        "text": "Refund request\n\nPlease refund booking QX7K2P after the delay on PX240.",
        "segments": {"queue": "refunds", "agent": "lee"},
    }
    return view(id, 0, **(values | fields))


def test_a_message_naming_the_ticket_after_closing_flags_it_whoever_it_is_linked_to() -> None:
    """The issue's case: five hours after closing, a tweet names the ticket; no linking joined its author."""
    tweet = view(
        9, 8, "twitter", kind="post", text="you closed my case but nothing is resolved. Ticket T000203"
    )
    naming = naming_index([ticket(), tweet])
    (journey,) = thread([ticket()], readings={9: NEGATIVE}, naming=naming)
    cnr = journey.closed_not_resolved
    assert cnr is not None and (cnr.ticket_id, cnr.evidence, cnr.later_contacts) == (
        "T000203",
        ("same ticket",),
        (9,),
    )
    assert (cnr.queue, cnr.agent) == ("refunds", "lee")


def test_a_later_message_on_the_same_ticket_flags_it_and_joins_its_case() -> None:
    """Before, a later contact counted only on another ticket: the customer's own follow-up was ignored."""
    again = view(2, 8, "whatsapp", ticket_id="T000203", text="still no refund")
    (journey,) = thread([ticket(), again], {1: "refunds", 2: "delays"})
    assert journey.interaction_ids == [1, 2]
    assert journey.closed_not_resolved is not None
    assert journey.closed_not_resolved.evidence == ("same ticket",)
    named = view(3, 9, "twitter", kind="post", text="t000203 closed, problem not fixed")
    (journey,) = thread([ticket(), named], {1: "refunds", 3: "booking"})
    assert journey.interaction_ids == [1, 3]  # a message naming the ticket joins it, whatever its category


def test_a_low_rating_of_the_closed_ticket_flags_it() -> None:
    found = closed_not_resolved(ticket(score_type="csat", score_value=2.0), [], [], {})
    assert found is not None and found.evidence == ("rated low",) and found.later_contacts == ()
    assert closed_not_resolved(ticket(score_type="csat", score_value=4.0), [], [], {}) is None


def test_thanks_before_closing_or_after_the_window_are_no_evidence() -> None:
    thanks = view(2, 8, "whatsapp", ticket_id="T000203", text="Thank you for sorting T000203 out!")
    before = view(3, 2, "whatsapp", ticket_id="T000203", text="where is my refund?")
    late = view(4, 24 * 9, "whatsapp", ticket_id="T000203", text="still nothing")
    readings = {2: THANKS, 3: NEGATIVE, 4: NEGATIVE}
    assert closed_not_resolved(ticket(), [thanks, before, late], [], readings) is None


def test_coming_back_counts_when_it_complains_about_the_same_booking() -> None:
    same = view(2, 20, "twitter", kind="post", text="Still waiting for my refund. Ref QX7K2P")
    other = view(3, 20, "twitter", kind="post", text="Lost my bag on PX999, ref ZZ9Z9Z. Awful.")
    question = view(4, 20, "twitter", kind="post", text="Can I bring two cabin bags?")
    assert another_booking(other, ticket()) and not another_booking(same, ticket())
    found = closed_not_resolved(ticket(), [same, other, question], [], {2: NEGATIVE, 3: NEGATIVE, 4: NEUTRAL})
    assert found is not None and (found.evidence, found.later_contacts) == (("came back",), (2,))
    # Without enrichment there is nothing to read: a later contact about the issue counts, as before.
    unread = closed_not_resolved(ticket(), [question], [], {})
    assert unread is not None and unread.evidence == ("came back",)


def test_a_complaint_about_the_same_booking_counts_whatever_its_category() -> None:
    """Enrichment files "Closing my ticket doesn't fix anything. PX240, ref QX7K2P" under refunds, the ticket
    under delays: two journeys, one booking."""
    later = view(
        2, 20, "twitter", kind="post", text="Closing my ticket doesn't fix anything. PX240, ref QX7K2P"
    )
    unrelated = view(3, 21, "twitter", kind="post", text="Lounge at DUB turned me away. Awful.")
    readings = {1: Reading(category="delays"), 2: Reading(category="refunds", sentiment="negative")}
    readings[3] = Reading(category="lounge", sentiment="negative")
    journeys = thread([ticket(), later, unrelated], readings=readings)
    assert [j.interaction_ids for j in journeys] == [[1], [2], [3]]
    cnr = journeys[0].closed_not_resolved
    assert cnr is not None and (cnr.evidence, cnr.later_contacts) == (("came back",), (2,))


def test_every_flagged_ticket_of_a_journey_is_counted() -> None:
    first = ticket(1, "T1", score_type="csat", score_value=1.0)
    second = ticket(2, "T2", closed_at=CLOSED + timedelta(hours=1))
    later = view(3, 10, "chat", ticket_id="T2", text="T2 is not fixed")
    (journey,) = thread([first, second, later], readings={3: NEGATIVE})
    assert [c.ticket_id for c in journey.unresolved] == ["T1", "T2"]
    assert stats({"ann": [first, second, later]}, {}, {3: NEGATIVE}).closed_not_resolved == 2


def test_codes_that_are_no_ticket_are_not_indexed() -> None:
    post = view(2, 5, "twitter", kind="post", text="Loyalty 4829103, ticket t000203, year 2026")
    assert sorted(naming_index([ticket(), post])) == ["T000203"]
