"""The session signing key is never a value known from the source: refused off loopback when unset, random
per process on loopback, and the demo's own key kept in a 0600 file and reused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from parallax.kit.settings import Settings
from parallax.kit.signing_key import (
    ENV_VAR,
    SecretKeyMissing,
    is_loopback,
    process_secret,
    serve_secret,
    stored_secret,
)


def test_the_default_setting_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert Settings().secret_key == ""


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serving_off_loopback_without_a_key_is_refused(host: str) -> None:
    with pytest.raises(SecretKeyMissing, match=ENV_VAR):
        serve_secret("", host)


@pytest.mark.parametrize("weak", ["dev-only-change-me", "short"])
def test_known_or_short_keys_are_refused_everywhere(weak: str) -> None:
    for host in ("127.0.0.1", "0.0.0.0"):
        with pytest.raises(SecretKeyMissing, match="too weak"):
            serve_secret(weak, host)


def test_loopback_without_a_key_gets_a_random_one_of_the_process() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"))
    key = serve_secret("", "127.0.0.1")
    assert key == process_secret() and len(key) >= 32 and key != "dev-only-change-me"
    process_secret.cache_clear()
    assert serve_secret("", "localhost") != key  # a new process, a new key
    assert serve_secret("a-long-configured-key-0123456789", "0.0.0.0") == "a-long-configured-key-0123456789"


def test_stored_secret_is_made_once_with_mode_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = stored_secret(path)
    assert len(first) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stored_secret(path) == first
    assert stored_secret(tmp_path / "elsewhere" / "secret_key") != first
