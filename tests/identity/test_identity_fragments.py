"""Evidence about a fragment (a post, a review, a message with no identifier): the route and day of its
trip, and a helpdesk ticket it names."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from parallax.identity.features import PersonRecord, person_record
from parallax.identity.views import InteractionView


def _view(channel: str, at: str, text: str = "", **fields: object) -> InteractionView:
    segments = fields.pop("segments", {})
    return InteractionView(
        id=int(fields.pop("id", 1)),
        channel=channel,
        kind="message",
        occurred_at=datetime.fromisoformat(at).replace(tzinfo=UTC),
        text=text,
        segments=dict(segments),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def test_a_survey_names_its_trip_day_and_a_post_the_days_before_it() -> None:
    survey = _view("survey", "2026-03-09T05:00", segments={"route": "LHR-AMS", "trip_date": "2026-03-08"})
    post = _view("twitter", "2026-03-08T21:00", segments={"route": "lhr-ams"})
    review = _view("review", "2026-03-11T10:00", "Would fly again on LHR-AMS.")
    assert person_record(1, [survey]).route_days == ("LHR-AMS@2026-03-08",)
    assert person_record(2, [post]).route_days == ("LHR-AMS@2026-03-07", "LHR-AMS@2026-03-08")
    # A review site gives no tagged route; the route typed in the words counts, over the days before.
    assert person_record(3, [review]).routes == ("LHR-AMS",)
    assert "LHR-AMS@2026-03-08" in person_record(3, [review]).route_days
    shouted = _view("review", "2026-03-11T10:00", "LATE DUE TO BAD WEATHER")
    assert person_record(4, [shouted]).routes == ()


def test_a_route_day_whose_flight_is_known_is_not_loose() -> None:
    survey = _view(
        "survey",
        "2026-03-09T05:00",
        segments={"route": "LHR-AMS", "trip_date": "2026-03-08", "flight_number": "PX181"},
    )
    ticket = _view("email", "2026-03-09T10:00", "Bag lost", id=2, segments={"route": "LHR-AMS"})
    post = _view("twitter", "2026-03-12T10:00", id=3, segments={"route": "LHR-AMS"})
    record = person_record(1, [survey, ticket, post])
    # The ticket falls on the flown route-day (it is about PX181); the later post is about a trip of its own.
    assert record.loose_route_days == ("LHR-AMS@2026-03-11", "LHR-AMS@2026-03-12")
    assert "LHR-AMS@2026-03-08" in record.route_days


def test_codes_typed_in_a_message_count_only_when_they_are_tickets() -> None:
    on_ticket = _view("email", "2026-03-08T10:00", "Bag lost", ticket_id="T000474", author_email="a@x.org")
    post = _view("instagram", "2026-03-09T10:00", "They closed T000474 and told me 2026 is busy. PX240.")
    owner, poster = person_record(1, [on_ticket]), person_record(2, [post])
    assert owner.tickets == ("T000474",)
    assert poster.mentioned_codes == ("2026", "T000474")
    known = frozenset(owner.tickets)
    assert poster.ticket_refs(known) == ("T000474",)
    assert poster.ticket_refs(frozenset()) == ()


def _record(key: int, name: str | None, **fields: object) -> PersonRecord:
    words = name.split() if name else []
    record = PersonRecord(
        key=key,
        name=name,
        first_name=words[0] if words else None,
        last_name=words[-1] if len(words) > 1 else None,
        name_stem=name.replace(" ", "") if name else None,
        stems=(),
        booking_refs=(),
        trips=(),
        routes=(),
        days=(),
    )
    return dataclasses.replace(record, **fields)  # type: ignore[arg-type]


def _flew(key: int, name: str, route: str, day: str, **fields: object) -> PersonRecord:
    """On ``route`` that day: a known flight if ``booked_trips`` says so, else a trip of unknown flight."""
    loose = () if fields.get("booked_trips") else (f"{route}@{day}",)
    return _record(
        key,
        name,
        routes=(route,),
        route_days=(f"{route}@{day}",),
        loose_route_days=loose,
        days=(day,),
        **fields,
    )


def test_a_post_on_the_route_flown_that_day_links_and_on_another_day_does_not() -> None:
    pytest.importorskip("splink")
    from parallax.identity.linkage import predict_links, score_candidates

    # Scored with the prior u values (a workspace this small estimates none), hence the 0.95 here.
    kofi = _flew(1, "kofi hansen", "LHR-AMS", "2026-03-08", booked_trips=("PX180@2026-03-08",))
    post = _flew(2, "kofi", "LHR-AMS", "2026-03-08", stems=("kofihansen",))
    links = predict_links([kofi, post], threshold=0.95)
    assert [(link.left, link.right) for link in links] == [(1, 2)]
    other_day = _flew(2, "kofi", "LHR-AMS", "2026-03-02", stems=("kofihansen",))
    assert predict_links([kofi, other_day], threshold=0.95) == []
    scored = score_candidates(other_day, [kofi], threshold=0.0)  # not even blocked together
    # The route on the day of travel says far more than the same route on some other day.
    assert links[0].evidence["routes"]["weight"] - scored[0].evidence["routes"]["weight"] > 4
    # Two known flights on one route-day are two trips: a namesake surveyed for another flight that day
    # is not linked by the day (only by a route in common).
    other_flight = _flew(4, "kofi hansen", "LHR-AMS", "2026-03-08", booked_trips=("PX182@2026-03-08",))
    two = score_candidates(other_flight, [kofi], threshold=0.0)
    assert two[0].evidence["routes"]["weight"] < 2
    # Another Kofi Hansen, with a booking of his own on that flight: the post fits both and joins neither.
    namesake = _flew(3, "kofi hansen", "LHR-AMS", "2026-03-08", booked_trips=("PX180@2026-03-08",))
    assert predict_links([kofi, namesake, post], threshold=0.95) == []


def test_a_post_naming_a_customers_ticket_links_to_them() -> None:
    pytest.importorskip("splink")
    from parallax.identity.linkage import predict_links, score_candidates

    aidan = _record(1, "aidan silva", tickets=("T000474",))
    namesake = _record(2, "aidan silva", tickets=("T000101",))
    post = _record(3, None, stems=("thejetsetteraidan",), mentioned_codes=("T000474",))
    links = predict_links([aidan, namesake, post])
    assert [(link.left, link.right) for link in links] == [(1, 3)]
    assert links[0].evidence["tickets"]["weight"] > 10
    scored = score_candidates(post, [aidan, namesake])
    assert [(link.left, link.right) for link in scored] == [(1, 3)]
    # Without the ticket the same post is a first name inside a handle: no link.
    assert predict_links([aidan, dataclasses.replace(post, mentioned_codes=())]) == []
