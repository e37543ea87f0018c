"""Where shipped model artifacts live: ``parallax/enrich/artifacts/`` inside the installed package."""

from __future__ import annotations

from pathlib import Path

from parallax.kit.errors import ParallaxError

ARTIFACTS = Path(__file__).parent / "artifacts"


def artifact(name: str, command: str) -> Path:
    """The path of a shipped artifact; a missing one says which command rebuilds it."""
    path = ARTIFACTS / name
    if not path.exists():
        raise ParallaxError(f"model artifact {name} is missing from {ARTIFACTS}; rebuild it with `{command}`")
    return path
