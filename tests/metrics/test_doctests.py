"""The docstring examples of the metrics room run as tests, and the public API is what __all__ says."""

from __future__ import annotations

import doctest
import importlib

import pytest

import parallax.metrics

MODULES = (
    "bias",
    "bias_interval",
    "twophase",
    "board",
    "cells",
    "engines",
    "flaggap",
    "frontline",
    "gap",
    "hidden",
    "histogram",
    "mirror",
    "rollup",
    "timing",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"parallax.metrics.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_public_api_is_exported() -> None:
    assert all(hasattr(parallax.metrics, name) for name in parallax.metrics.__all__)
