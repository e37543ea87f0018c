from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sim_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulated worlds are written once per test session and shared by the estimator tests."""
    return tmp_path_factory.mktemp("worlds")
