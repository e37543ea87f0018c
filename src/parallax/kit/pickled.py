"""Checkpoints of small picklable state (detectors, engines, feeds): one way to write them and to read them
back as the type the caller expects, so a checkpoint of the wrong thing fails loudly instead of later.

Example:
    >>> from collections import Counter
    >>> load_as(dump(Counter("aab")), Counter)
    Counter({'a': 2, 'b': 1})
    >>> load_as(dump([1]), Counter)
    Traceback (most recent call last):
    ...
    TypeError: checkpoint does not hold a Counter
"""

from __future__ import annotations

import pickle
from typing import TypeVar

T = TypeVar("T")


def dump(state: object) -> bytes:
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def load_as(blob: bytes, kind: type[T]) -> T:
    state = pickle.loads(blob)
    if not isinstance(state, kind):
        raise TypeError(f"checkpoint does not hold a {kind.__name__}")
    return state
