"""Personal data in texts: detectors for each kind and the one redaction policy that shows them.

Kinds: emails; phone numbers in international and national formats for many regions (libphonenumber);
payment cards (Luhn); IBANs (mod 97) and national identifiers with their checksums (python-stdnum);
passport numbers and booking references next to the words that announce them; postal addresses and
personal names by rule, and names by a named-entity model where the ``pii`` extra is installed.
``policy.show`` is what every page, API response, export, log line and alert notification goes through.

    >>> redact("Mail me at ann@example.com or call +1 (415) 555-2671, card 4111 1111 1111 1111")
    'Mail me at [EMAIL] or call [PHONE], card [CARD]'
    >>> redact("Flight UA 1234 on 2015-02-24 was late")
    'Flight UA 1234 on 2015-02-24 was late'
    >>> redact("booking ref QX7K2P please")
    'booking ref [BOOKING] please'
"""

from __future__ import annotations

from parallax.enrich.pii.detect import find_pii, may_hold_contact, may_hold_pii
from parallax.enrich.pii.numbers import booking_refs_in, luhn_valid
from parallax.enrich.pii.phones import to_e164
from parallax.enrich.pii.policy import POLICY, Audience, RedactionPolicy, identifier, redact, show
from parallax.enrich.pii.spans import KINDS, TOKENS, PiiSpan
from parallax.enrich.pii.step import PiiStep, make_step

__all__ = [
    "KINDS",
    "POLICY",
    "TOKENS",
    "Audience",
    "PiiSpan",
    "PiiStep",
    "RedactionPolicy",
    "booking_refs_in",
    "find_pii",
    "identifier",
    "luhn_valid",
    "make_step",
    "may_hold_contact",
    "may_hold_pii",
    "redact",
    "show",
    "to_e164",
]
