"""Issue 14's redaction gaps, each with the input that the old redactor (emails, US-region phones, cards,
opt-in booking refs) let through, and the look-alikes that must stay."""

from __future__ import annotations

import random

import pytest

from parallax.enrich.pii import Audience, find_pii, redact, show
from parallax.enrich.pii import ner as pii_ner
from parallax.enrich.pii.people import addresses, names

needs_model = pytest.mark.skipif(not pii_ner.available(), reason="the pii extra (spaCy model) is absent")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 020 7946 0958 please", "call me on [PHONE] please"),  # UK national format
        ("mi móvil es 612 34 56 78", "mi móvil es [PHONE]"),  # Spanish national format
        ("appelez le 06 12 34 56 78", "appelez le [PHONE]"),
        ("Telefon 030 12345678 bitte", "Telefon [PHONE] bitte"),
        ("ring 0044 20 7946 0958", "ring [PHONE]"),
        ("IBAN GB82 WEST 1234 5698 7654 32 for the refund", "IBAN [IBAN] for the refund"),
        ("pay ES9121000418450200051332 now", "pay [IBAN] now"),
        ("my passport number is 533401372", "my passport number is [PASSPORT]"),
        ("pasaporte PAA123456 caducado", "pasaporte [PASSPORT] caducado"),
        ("DNI 12345678Z y NIE X1234567L", "DNI [ID] y NIE [ID]"),
        ("NI number AB 12 34 56 C, SSN 536-90-4399", "NI number [ID], SSN [ID]"),
        ("I live at 221B Baker Street, London NW1 6XE", "I live at [ADDRESS]"),
        ("envíenlo a Calle de Alcalá 45, 28014 Madrid", "envíenlo a [ADDRESS]"),
        ("my name is Sarah O'Connor and I want a refund", "my name is [NAME] and I want a refund"),
        ("Regards,\nJohn Smith", "Regards,\n[NAME]"),
        ("booking ref QX7K2P please", "booking ref [BOOKING] please"),
    ],
)
def test_each_gap_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Flight UA 1234 and BA0283 left gate B22 at 10:45 from LHR to MAD",
        "on 2015-02-24 and 24/02/2015 we waited 3 hours",
        "I paid £1,234.56 and then €89,99 and $1299",
        "ticket 0161234567890, order 612345678, case 3214567",
        "Complaint ID 3214567 about my XXXX account",
        "seat 14C, terminal 5, 2 bags of 23 kg",
        "@united thanks for nothing, flight 4567",
        "I'm Very upset with American Airlines",
    ],
)
def test_look_alikes_stay(text: str) -> None:
    assert redact(text) == text


def test_bad_checksums_are_not_identifiers() -> None:
    text = "IBAN GB83 WEST 1234 5698 7654 32, DNI 12345678A, card 4111 1111 1111 1112"
    assert [s.kind for s in find_pii(text)] == []


def test_rules_find_names_and_addresses_without_the_model() -> None:
    text = "Je m'appelle Jean Dupont, 12 rue de la Paix, 75002 Paris"
    assert [s.value for s in names(text)] == ["Jean Dupont"]
    assert [s.value for s in addresses(text)] == ["12 rue de la Paix, 75002 Paris"]
    assert show(text, model=False) == "Je m'appelle [NAME], [ADDRESS]"


@needs_model
def test_the_model_finds_names_without_a_cue() -> None:
    text = "spoke to Rahul Sharma at the desk, he was lovely"
    assert show(text, model=False) == text
    assert show(text) == "spoke to [NAME] at the desk, he was lovely"


def test_missing_model_raises_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from parallax.kit.errors import MissingExtra

    monkeypatch.setattr(pii_ner, "load_model", lambda: None)
    with pytest.raises(MissingExtra, match=r"parallax-cx\[pii\]"):
        pii_ner.require_model()
    assert pii_ner.person_spans("my friend Rahul Sharma") == []
    assert redact("my name is Rahul Sharma, call 020 7946 0958") == "my name is [NAME], call [PHONE]"


def test_agents_never_see_a_whole_card_or_iban() -> None:
    text = "card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, call 020 7946 0958"
    assert show(text, Audience.CONTACT) == (
        "card [CARD ending 1111], IBAN [IBAN ending 5432], call 020 7946 0958"
    )


@pytest.mark.timeout(120)
def test_a_megabyte_of_digits_and_separators_is_redacted_in_bounded_time() -> None:
    rng = random.Random(5)
    text = "".join(rng.choice("0123456789 -.()/+") for _ in range(1_000_000))
    for audience in Audience:
        shown = show(text, audience)
        assert shown.endswith("more characters]") and len(shown) < 110_000
    assert len(find_pii(text[:200_000], model=False)) > 100  # the whole scan still runs, bounded


def test_the_model_never_reads_a_long_unbroken_run() -> None:
    # spaCy's tokenizer is quadratic in a token's length (20,000 '%' took 38 s, holding the GIL), so runs
    # no name can be are blanked out, keeping every offset.
    text = "Dear John Smith, " + "%" * 5_000 + "@ regards, Ann Lee"
    seen = pii_ner._for_model(text)
    assert len(seen) == len(text) and "%" not in seen
    assert seen.startswith("Dear John Smith, ") and seen.endswith(" regards, Ann Lee")


@needs_model
@pytest.mark.timeout(60)
def test_the_model_finishes_on_a_long_punctuation_run() -> None:
    spans = pii_ner.person_spans("%" * 5_000 + "@ thanks, from John Smith")
    assert all(span.start > 5_000 for span in spans)  # nothing found inside the blanked run
