from __future__ import annotations

import pytest

from parallax.identity.normalise import (
    AuthorFields,
    Ident,
    hash_ident,
    identifiers_of,
    normalise_code,
    normalise_email,
    normalise_phone,
    redact,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("J.Smith+trips@GoogleMail.com", "jsmith@gmail.com"),
        ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
        ("ann.lee+x@example.com", "ann.lee+x@example.com"),
        ("not an email", None),
        ("@handle", None),
    ],
)
def test_email(raw: str, expected: str | None) -> None:
    assert normalise_email(raw) == expected


def test_phone_is_e164_and_invalid_numbers_do_not_link() -> None:
    assert normalise_phone("(415) 555-2671") == "+14155552671"
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("020 7946 0958", default_region="GB") == "+442079460958"
    assert normalise_phone("12") is None


def test_codes() -> None:
    assert normalise_code(" qx7-k2p ") == "QX7K2P"
    assert normalise_code("ab") is None


def test_identifiers_of_keeps_platform_with_handle() -> None:
    fields = AuthorFields(channel="twitter", handle="@Maria_G", email="M.Garcia@gmail.com", phone="bad")
    assert identifiers_of(fields) == (Ident("email", "mgarcia@gmail.com"), Ident("handle", "twitter:maria_g"))
    other = identifiers_of(AuthorFields(channel="instagram", handle="maria_g"))
    assert other == (Ident("handle", "instagram:maria_g"),)


def test_handle_that_is_an_email_links_as_email() -> None:
    assert identifiers_of(AuthorFields(channel="chat", handle="ann@x.org")) == (Ident("email", "ann@x.org"),)
    assert identifiers_of(AuthorFields(channel="chat", handle="visitor 12")) == ()


def test_redaction_hides_the_value() -> None:
    assert redact(Ident("email", "jsmith@gmail.com")) == "j***h@g***.com"
    assert redact(Ident("phone", "+14155552671")) == "+14*******71"
    assert redact(Ident("handle", "twitter:maria_g")) == "twitter:@ma***"
    assert redact(Ident("booking", "QX7K2P")) == "QX***2P"


def test_hash_depends_on_salt_and_kind() -> None:
    ident = Ident("email", "a@b.co")
    assert hash_ident(ident, "acme") != hash_ident(ident, "other")
    assert hash_ident(ident, "acme") != hash_ident(Ident("handle", "a@b.co"), "acme")
    assert len(hash_ident(ident)) == 64


def test_a_whatsapp_number_is_an_account_even_when_it_is_not_a_valid_phone() -> None:
    # On WhatsApp the sender's number is the account: two messages from it are one person, whether or not
    # the number plan knows it. Anywhere else an invalid number links nobody.
    bad = "+1 212 370 759 36"
    assert identifiers_of(AuthorFields(channel="whatsapp", phone=bad)) == (
        Ident("handle", "whatsapp:121237075936"),
    )
    assert identifiers_of(AuthorFields(channel="chat", phone=bad)) == ()
    valid = identifiers_of(AuthorFields(channel="whatsapp", phone="+14155552671"))
    assert valid == (Ident("phone", "+14155552671"),)
    assert identifiers_of(AuthorFields(channel="whatsapp", phone="+12 34")) == ()
