"""One default world, written once per session, shared by the simulator tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parallax.simulate import World, simulate_world, write_world


@pytest.fixture(scope="session")
def world() -> World:
    return simulate_world(seed=11)


@pytest.fixture(scope="session")
def out(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    write_world(world, folder)
    return folder


@pytest.fixture(scope="session")
def summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "truth" / "summary.json").read_text())
