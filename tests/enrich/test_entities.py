"""Entities: flights, airports (airportsdata + stop list + context), routes, refs, contacts, handles."""

from __future__ import annotations

import pytest

from parallax.enrich.airports import build_stoplist, city_codes, iata_airports, stop_codes
from parallax.enrich.entities import EntitiesStep, airport_codes, extract_entities, flight_numbers, routes
from parallax.enrich.pipeline import Enriched
from parallax.kit.ids import stable_hash


def test_airports_come_from_the_package_and_stop_words_are_excluded() -> None:
    airports = iata_airports()
    assert len(airports) > 5000 and airports["JFK"]["city"] == "New York"
    assert {"THE", "AND", "BAG", "TSA", "USA"} <= stop_codes()
    assert "JFK" not in stop_codes() and "ORD" not in stop_codes()


def test_build_stoplist_uses_case_counts() -> None:
    texts = ["the bag and the man"] * 3 + ["flew JFK to LAX", "jfk"]
    stop = build_stoplist(texts)
    assert {"THE", "AND", "BAG", "MAN"} <= set(stop)
    assert "JFK" not in stop and "TSA" in stop  # curated acronym


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("stuck at DFW again", ["DFW"]),
        ("#PHL gate F12 has no agent", ["PHL"]),
        ("ORD terminal 3 is chaos", ["ORD"]),
        ("JFK is a mess", []),  # no context
        ("THE FLIGHT AND THE BAG ARE AT DFW", []),  # shouting: codes only count in routes
        ("I flew to THE moon and back", []),  # stop word even with context
        ("going to ZZZ soon", []),  # not an airport
    ],
)
def test_airport_codes_need_context(text: str, codes: list[str]) -> None:
    assert airport_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JFK-LAX was late", ["JFK-LAX"]),
        ("SEA to DEN, then DEN>BOS", ["SEA-DEN", "DEN-BOS"]),
        ("flying from Boston to San Francisco tomorrow", ["BOS-SFO"]),
        ("from Home to Work", []),
        ("THE-END", []),  # neither is an airport pair worth keeping
    ],
)
def test_routes(text: str, expected: list[str]) -> None:
    assert routes(text) == expected


def test_city_codes_skip_ambiguous_cities() -> None:
    cities = city_codes()
    assert cities["boston"] == "BOS" and cities["denver"] == "DEN"
    assert "chicago" not in cities  # ORD and MDW are both international


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UA 1234 and AA123 were late", ["UA1234", "AA123"]),
        ("flight US 1776 cancelled", ["US1776"]),
        ("I was IN 2015 on US 2015", []),
        ("my flt #4567 sat on the tarmac", ["4567"]),
        ("gate B22 at 10:45", []),
    ],
)
def test_flight_numbers(text: str, expected: list[str]) -> None:
    assert flight_numbers(text) == expected


def test_extract_entities_hashes_personal_identifiers() -> None:
    text = "@Delta conf QX7K2P, order #123-4567890-1234567, mail Ann@Example.com or 415-555-2671"
    found = extract_entities(text)
    assert found["handle"] == ["@delta"]
    assert found["order_number"] == ["123-4567890-1234567"]
    assert found["email_hash"] == [stable_hash("ann@example.com")]
    assert found["phone_hash"] == [stable_hash("+14155552671")]
    assert found["booking_ref_hash"] == [stable_hash("QX7K2P")]
    assert "Ann@Example.com" not in str(found)


def test_step_fills_entities() -> None:
    item = Enriched(interaction_id=1, text="nothing to see")
    EntitiesStep().apply([item])
    assert item.entities == {}


@pytest.mark.parametrize(
    "text",
    ["", "UA 1234 FROM JFK TO LAX", "JFK to LAX", "ÄÖÜ ÉÈ naïve CAFÉ", "MY FLIGHT 😀 IS LATE", "aB" * 7],
)
def test_shouting_counts_ascii_letters_as_the_letter_patterns_do(text: str) -> None:
    import re

    from parallax.enrich.entities import _mostly_upper

    upper, lower = len(re.findall("[A-Z]", text)), len(re.findall("[a-z]", text))
    assert _mostly_upper(text) == (upper + lower >= 12 and upper > 0.6 * (upper + lower))


def test_shouted_routes_keep_both_ends_only_when_neither_is_a_stop_word() -> None:
    assert routes("JFK TO LAX, WORST TRIP EVER") == ["JFK-LAX"]
    assert airport_codes("STUCK AT JFK AGAIN, WORST AIRLINE EVER") == []  # shouting: codes are words
    assert airport_codes("stuck at JFK again") == ["JFK"]
