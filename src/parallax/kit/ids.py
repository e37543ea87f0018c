"""Identifiers: opaque random ids for rows people see, and stable hashes for identifiers we link on."""

from __future__ import annotations

import hashlib
import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def stable_hash(value: str, salt: str = "") -> str:
    """A hex SHA-256 of a normalised value: lets linkage join on emails or phones without storing them."""
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()
