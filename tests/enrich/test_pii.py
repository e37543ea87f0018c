"""PII redaction: each kind is replaced, look-alikes (flight numbers, dates, bad checksums) are not.

Issue 14's gaps (national phones, IBANs, ids, passports, names, addresses) are in test_pii_gaps.py."""

from __future__ import annotations

import pytest

from parallax.enrich.pii import PiiStep, find_pii, luhn_valid, redact, to_e164
from parallax.enrich.pipeline import Enriched


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("5555-5555-5555-4444", True),
        ("378282246310005", True),
        ("4111111111111112", False),
        ("1234567812345678", False),
        ("", False),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(415) 555-2671", "+14155552671"),
        ("1-800-433-7300", "+18004337300"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-1234", None),
        ("12345", None),
        ("not a phone", None),
    ],
)
def test_e164(raw: str, e164: str | None) -> None:
    assert to_e164(raw) == e164


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to Ann.Lee+cx@mail.example.co.uk today", "write to [EMAIL] today"),
        ("call me on 415.555.2671", "call me on [PHONE]"),
        ("uk number +44 20 7946 0958 ok", "uk number [PHONE] ok"),
        ("charged card 4111-1111-1111-1111 twice", "charged card [CARD] twice"),
        ("card 4111 1111 1111 1112 is not a card", "card 4111 1111 1111 1112 is not a card"),
    ],
)
def test_redacts_each_kind(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Flight UA 1234 and AA123 left gate B22 at 10:45",
        "on 2015-02-24 and 02/24/2015 we waited 3 hours",
        "@united thanks for nothing, flight 4567",
        "Complaint ID 3214567 about my XXXX account",
        "call 0011 800-55558000 from abroad",  # passes Luhn but no card starts with 0
    ],
)
def test_does_not_redact_look_alikes(text: str) -> None:
    assert redact(text, booking_refs=True) == text


def test_booking_refs_are_masked_by_the_policy_everywhere() -> None:
    # Issue 14: booking refs were masked in one panel and shown in another; the policy now decides, always.
    text = "my booking reference is QX7K2P, confirmation #ABC123"
    assert redact(text) == "my booking reference is [BOOKING], confirmation #[BOOKING]"
    assert redact(text) == redact(text, booking_refs=True)


def test_card_wins_over_phone_and_values_are_normalised() -> None:
    spans = find_pii("card 4111111111111111 mail X@Y.COM")
    assert [(span.kind, span.value) for span in spans] == [("card", "4111111111111111"), ("email", "x@y.com")]


def test_step_fills_redacted_text_and_keeps_text() -> None:
    item = Enriched(interaction_id=1, text="reach me at a@b.io")
    PiiStep().apply([item])
    assert item.redacted_text == "reach me at [EMAIL]"
    assert item.text == "reach me at a@b.io"
