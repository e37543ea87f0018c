"""The key that signs login sessions: never a value known from the source code.

``parallax serve`` takes PARALLAX_SECRET_KEY; on a loopback address without one it uses a random key of
the process (sessions end when the server stops), and on any other address it refuses to start. The demo
keeps a random key in a 0600 file beside its SQLite store and reuses it.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
(True, True, True, False)
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import cache
from pathlib import Path

ENV_VAR = "PARALLAX_SECRET_KEY"
MIN_LENGTH = 16
# Known values must never sign a session: the old built-in default among them.
KNOWN_WEAK = frozenset({"dev-only-change-me", "changeme", "change-me", "secret"})


class SecretKeyMissing(Exception):
    """Serving on a reachable address without a usable secret key."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


@cache
def process_secret() -> str:
    """A random key made once per process."""
    return secrets.token_urlsafe(32)


def serve_secret(configured: str, host: str) -> str:
    """The key ``parallax serve`` signs with; raises SecretKeyMissing on a non-loopback host without one."""
    configured = configured.strip()
    if configured and (configured in KNOWN_WEAK or len(configured) < MIN_LENGTH):
        raise SecretKeyMissing(
            f"{ENV_VAR} is too weak: use at least {MIN_LENGTH} random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if configured:
        return configured
    if is_loopback(host):
        return process_secret()
    raise SecretKeyMissing(
        f"refusing to serve on {host} without a session signing key: set {ENV_VAR} (the secret_key "
        "setting) to a long random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )


def stored_secret(path: Path) -> str:
    """The key kept in ``path`` (mode 0600), made on first use and reused after."""
    if path.is_file():
        value = path.read_text().strip()
        if len(value) >= MIN_LENGTH:
            return value
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value
