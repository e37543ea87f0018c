"""Every regular expression in Parallax finishes on adversarial megabytes: none backtracks quadratically.

One email pattern with quadratic backtracking froze the server for 9 s on 40 KB of text (and for more
than five minutes on 5 MB). This test finds every compiled pattern the package defines at module level
(directly, or inside a module-level tuple, list or dict, such as the friction lexicon's cues), and runs each
over 1 MB inputs built to make a backtracking engine retry from every position: long runs of one
character class, two-character alternations, and the literals each pattern itself looks for followed by a
run that almost matches (read off the pattern's parse tree). A linear pattern scans a megabyte in well under
a second; a quadratic one would need hours, so the per-input budget below is a liveness check, not a speed
measurement (speed is benchmarked).

Python's regular expression engine checks for signals while it matches, so an alarm interrupts a runaway
pattern and the test fails naming it, instead of hanging.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from re import _constants, _parser  # type: ignore[attr-defined]
from types import FrameType, ModuleType
from typing import Any

import pytest

import parallax

_LITERAL = _constants.LITERAL
MEGABYTE = 1 << 20
BUDGET_S = 20  # per pattern and input; a quadratic pattern needs thousands of seconds on 1 MB

# Runs of one character from each class a repeat may span, and alternations that restart a match often.
RUNS = ["a", "A", "1", " ", ".", "-", "%", "_", "'", "\n", "é", "/"]
PAIRS = ["a@", "1 ", "a.", "&a", "A1", "@a"]
# After one of the pattern's own literals ("flight", "@", "www."), a run that almost continues the match.
TAILS = [" ", "a", "1", ".", "A"]
MAX_LITERALS = 4


def _walk(items: Any) -> Iterator[tuple[str, Any]]:
    for op, arg in items:
        yield str(op), arg
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield from _walk(arg[2])
        elif str(op) == "SUBPATTERN":
            yield from _walk(arg[-1])
        elif str(op) == "BRANCH":
            for branch in arg[1]:
                yield from _walk(branch)
        elif str(op) in ("ASSERT", "ASSERT_NOT"):
            yield from _walk(arg[1])
        elif str(op) == "ATOMIC_GROUP":
            yield from _walk(arg)


def _unbounded(pattern: re.Pattern[str]) -> bool:
    """Whether a repeat in ``pattern`` has no upper bound (or a large one): where backtracking can grow."""
    repeats = ("MAX_REPEAT", "MIN_REPEAT")
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    return any(op in repeats and arg[1] > 100 for op, arg in _walk(parsed))


def _literals(items: Any) -> Iterator[str]:
    """The pattern's runs of literal characters, in each sequence it holds."""
    run = ""
    for op, arg in items:
        if op == _LITERAL:
            run += chr(arg)
            continue
        if run:
            yield run
        run = ""
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield from _literals(arg[2])
        elif str(op) == "SUBPATTERN":
            yield from _literals(arg[-1])
        elif str(op) == "BRANCH":
            for branch in arg[1]:
                yield from _literals(branch)
    if run:
        yield run


def _inputs(pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """1 MB inputs for ``pattern``: two for one without unbounded repeats (it cannot backtrack far), and
    for the others runs, alternations and its own literals followed by near-miss runs."""
    if not _unbounded(pattern):
        yield "run 'a'", "a" * MEGABYTE
        yield "pair '1 '", "1 " * (MEGABYTE // 2)
        return
    for run in RUNS:
        yield f"run {run!r}", run * MEGABYTE
    for pair in PAIRS:
        yield f"pair {pair!r}", pair * (MEGABYTE // len(pair))
    literals = sorted(set(_literals(_parser.parse(pattern.pattern))), key=len, reverse=True)
    for literal in literals[:MAX_LITERALS]:
        for tail in TAILS:
            yield f"{literal!r} then {tail!r}", literal + tail * MEGABYTE + "!"


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(parallax.__path__, "parallax."):
        if ".migrations" in info.name:
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed: its patterns are not in use
            continue


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif depth < 3 and isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _patterns_in(getattr(value, field.name), depth + 1)


def _all_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for k, pattern in enumerate(_patterns_in(value)):
                found.setdefault(f"{module.__name__}.{name}[{k}]: {pattern.pattern[:60]}", pattern)
    unique: dict[tuple[str, int], str] = {}
    for label, pattern in found.items():  # a pattern imported by several modules is tested once
        unique.setdefault((pattern.pattern, pattern.flags), label)
    return {label: found[label] for label in unique.values()}


PATTERNS = _all_patterns()


class Runaway(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Runaway


def test_the_search_finds_the_patterns_that_see_user_text() -> None:
    names = " ".join(PATTERNS)
    for expected in ("parallax.enrich.entities.FLIGHT_RE", "parallax.enrich.signals.lexicon.CUES"):
        assert expected in names
    assert len(PATTERNS) > 40


@pytest.mark.parametrize("label", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_megabytes(label: str) -> None:
    pattern = PATTERNS[label]
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for name, text in _inputs(pattern):
            signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
            try:
                for _ in pattern.finditer(text):
                    pass
            except Runaway:
                pytest.fail(f"{label} did not finish within {BUDGET_S} s on 1 MB of {name}")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
