"""Literal anchors of a regular expression: strings one of which every match must contain.

Python's ``re`` tries every alternative at every position, so a lexicon of ~60 cues costs far more than
checking a few substrings with ``in``. ``anchors(pattern)`` walks the parsed pattern and returns a set of
literal strings such that any match contains at least one of them (or None when no such set exists, e.g.
``!!|\\?\\?``-free patterns that can match without letters). Skipping a cue whose anchors are all absent
is therefore exact: it never changes a score.

Example:
    >>> sorted(anchors(r"\\b(third|second) time\\b"))
    [' time']
    >>> sorted(anchors(r"\\b(no help|useless)\\b"))
    ['no help', 'useless']
"""

from __future__ import annotations

import re._constants as sre_constants
import re._parser as sre_parse
from typing import Any

Anchors = frozenset[str] | None


def anchors(pattern: str) -> Anchors:
    """A set of literals one of which every match of ``pattern`` contains, or None if there is none."""
    return _sequence(list(sre_parse.parse(pattern)))


def _best(options: list[frozenset[str]]) -> Anchors:
    """Of several valid anchor sets, the one whose shortest string is longest (the most selective)."""
    return max(options, key=lambda found: (min(map(len, found)), -len(found)), default=None)


def _sequence(items: list[tuple[Any, Any]]) -> Anchors:
    """Any match of a sequence contains a match of each item, so any item's anchors (or a run) will do."""
    options: list[frozenset[str]] = []
    run = ""
    for op, value in items:
        if op is sre_constants.LITERAL:
            run += chr(value)
            continue
        if run:
            options.append(frozenset({run}))
            run = ""
        found = _item(op, value)
        if found:
            options.append(found)
    if run:
        options.append(frozenset({run}))
    return _best([option for option in options if all(option)])


def _item(op: Any, value: Any) -> Anchors:
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is sre_constants.BRANCH:
        branches = [_sequence(list(branch)) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*[b for b in branches if b is not None])
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
        return _sequence(list(value[2]))
    return None
