"""The examples in the enrichment modules' docstrings run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "parallax.enrich.pipeline",
    "parallax.enrich.registry",
    "parallax.enrich.steps.language",
    "parallax.enrich.sentiment.vader",
    "parallax.enrich.emotion",
    "parallax.enrich.textnorm",
    "parallax.enrich.eval.metrics",
    "parallax.enrich.sentiment.fast",
    "parallax.enrich.threads",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
