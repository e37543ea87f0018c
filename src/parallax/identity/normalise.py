"""Normalised identifiers: the keys deterministic linkage joins on, their hashes and redacted displays.

An identifier is ``(kind, value)`` with the value in one canonical form, so ``J.Smith@GMail.com`` and
``jsmith@gmail.com`` are the same key. Only ``hash_ident`` of it is stored; people see ``redact``.

Example:
    >>> normalise_email("J.Smith+trips@GoogleMail.com")
    'jsmith@gmail.com'
    >>> normalise_phone("(415) 555-2671", default_region="US")
    '+14155552671'
    >>> redact(Ident("email", "jsmith@gmail.com"))
    'j***h@g***.com'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from parallax.kit.ids import stable_hash

# Kinds that identify one person on their own: a shared value links two records deterministically.
DETERMINISTIC_KINDS = ("email", "phone", "handle", "loyalty", "booking")
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,24}$")
CODE_CHARS = re.compile(r"[^A-Z0-9]")
HANDLE_CHARS = re.compile(r"[^a-z0-9_.]")
# Channels where the author handle is a public account on that platform; other channels' handles are
# free-text names (a review site's display name is not an account key).
HANDLE_PLATFORMS = frozenset({"twitter", "facebook", "instagram", "app_store", "forum", "review"})
# On WhatsApp the sender's number is their account: the same number is the same account even when it is
# not a valid phone number (which is then never linked as a phone, on any other channel).
MESSENGER_ACCOUNTS = frozenset({"whatsapp"})
MIN_ACCOUNT_DIGITS = 8


@dataclass(frozen=True, order=True)
class Ident:
    """One normalised identifier; ``value`` is already canonical for its ``kind``."""

    kind: str
    value: str


@dataclass(frozen=True)
class AuthorFields:
    """The author identifiers one interaction carries, as ingested (raw, not yet normalised)."""

    channel: str
    email: str | None = None
    phone: str | None = None
    handle: str | None = None
    loyalty_id: str | None = None
    booking_ref: str | None = None
    platform: str | None = None


def normalise_email(raw: str) -> str | None:
    """Lower-case; for Gmail drop dots and ``+tags`` (they reach the same inbox). None if not an email."""
    value = raw.strip().lower()
    if not EMAIL_SHAPE.match(value):
        return None
    local, domain = value.rsplit("@", 1)
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}" if local else None


def normalise_phone(raw: str, default_region: str = "US") -> str | None:
    """E.164 (``+14155552671``) when the number is valid, else None: a bad number must not link people."""
    try:
        number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_handle(raw: str, platform: str) -> str | None:
    """``platform:handle`` lower-cased without ``@``: the same handle on another platform is another key."""
    handle = HANDLE_CHARS.sub("", raw.strip().lstrip("@").lower())
    return f"{platform.lower()}:{handle}" if handle else None


def normalise_code(raw: str) -> str | None:
    """Loyalty numbers and booking refs: upper-case letters and digits only, at least four of them."""
    code = CODE_CHARS.sub("", raw.upper())
    return code if len(code) >= 4 else None


def _messenger_account(fields: AuthorFields, default_region: str) -> Ident | None:
    """A messenger account named by a number that is not a valid phone: ``whatsapp:12123707593``.

    >>> _messenger_account(AuthorFields("whatsapp", phone="+1 212 370 759 36"), "US")
    Ident(kind='handle', value='whatsapp:121237075936')
    >>> _messenger_account(AuthorFields("whatsapp", phone="+14155552671"), "US") is None  # a phone
    True
    """
    if fields.channel not in MESSENGER_ACCOUNTS or not fields.phone:
        return None
    if normalise_phone(fields.phone, default_region):
        return None
    digits = re.sub(r"[^0-9]", "", fields.phone)
    return Ident("handle", f"{fields.channel}:{digits}") if len(digits) >= MIN_ACCOUNT_DIGITS else None


def identifiers_of(fields: AuthorFields, default_region: str = "US") -> tuple[Ident, ...]:
    """Every deterministic identifier an interaction's author fields yield, sorted and de-duplicated."""
    found: set[Ident] = set()
    candidates: Iterable[tuple[str, str | None]] = (
        ("email", normalise_email(fields.email) if fields.email else None),
        ("phone", normalise_phone(fields.phone, default_region) if fields.phone else None),
        ("loyalty", normalise_code(fields.loyalty_id) if fields.loyalty_id else None),
        ("booking", normalise_code(fields.booking_ref) if fields.booking_ref else None),
    )
    for kind, value in candidates:
        if value:
            found.add(Ident(kind, value))
    if account := _messenger_account(fields, default_region):
        found.add(account)
    platform = fields.platform or fields.channel
    if fields.handle and platform in HANDLE_PLATFORMS:
        # A handle that is really an email address (chat widgets do this) is linked as the email.
        as_email = normalise_email(fields.handle)
        handle = normalise_handle(fields.handle, platform) if as_email is None else None
        if as_email:
            found.add(Ident("email", as_email))
        if handle:
            found.add(Ident("handle", handle))
    elif fields.handle and (as_email := normalise_email(fields.handle)):
        found.add(Ident("email", as_email))
    return tuple(sorted(found))


def hash_ident(ident: Ident, salt: str = "") -> str:
    """The stored form of an identifier: a salted SHA-256 of ``kind:value``."""
    return stable_hash(f"{ident.kind}:{ident.value}", salt)


def _mask(text: str, keep_start: int = 1, keep_end: int = 1) -> str:
    if len(text) <= keep_start + keep_end:
        return text[:1] + "***"
    return text[:keep_start] + "***" + (text[-keep_end:] if keep_end else "")


def redact(ident: Ident) -> str:
    """What a person may see of an identifier: enough to recognise it, too little to contact anyone."""
    if ident.kind == "email":
        local, domain = ident.value.rsplit("@", 1)
        host, _, tld = domain.rpartition(".")
        return f"{_mask(local)}@{_mask(host, 1, 0)}.{tld}"
    if ident.kind == "phone":
        return ident.value[:3] + "*" * max(len(ident.value) - 5, 3) + ident.value[-2:]
    if ident.kind == "handle":
        platform, _, handle = ident.value.partition(":")
        return f"{platform}:@{_mask(handle, 2, 0)}"
    return _mask(ident.value, 2, 2)
