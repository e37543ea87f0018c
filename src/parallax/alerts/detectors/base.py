"""The detector contract, river style: public constructor arguments, private learned state, clone and pickle.

A detector sees one observation at a time: ``score_one`` reads its state without changing it, ``learn_one``
folds the observation in, and ``update`` does both in that order so each score uses only the past. Learned
state lives in attributes starting with ``_`` and is rebuilt by ``_reset()``; ``clone()`` makes a fresh
detector with the same arguments; ``pickle`` round-trips the whole state, which is how state is checkpointed.
"""

from __future__ import annotations

import copy
import inspect
from datetime import datetime, timedelta
from typing import Any, Self

from parallax.kit.pickled import dump, load_as


class Detector:
    """Base class: subclasses store every constructor argument as a public attribute of the same name."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        """Rebuild the learned state from the constructor arguments."""

    def params(self) -> dict[str, Any]:
        """The constructor arguments, read back from the public attributes."""
        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        return {name: copy.deepcopy(getattr(self, name)) for name in names}

    def clone(self) -> Self:
        """A new, untrained detector with the same arguments."""
        return type(self)(**self.params())

    def ready(self, t: datetime) -> bool:
        """Whether there is enough history to score an observation at ``t`` (ensembles skip the rest)."""
        return True

    def score_one(self, x: float, t: datetime) -> float:
        raise NotImplementedError

    def learn_one(self, x: float, t: datetime) -> None:
        raise NotImplementedError

    def update(self, x: float, t: datetime) -> float:
        """Score ``x`` against the past, then learn it: the streaming step."""
        score = self.score_one(x, t)
        self.learn_one(x, t)
        return score

    def learn_zeros(self, n: int, start: datetime, step: timedelta) -> None:
        """Learn ``n`` observations of 0 at ``start``, ``start + step``, ...: a silent stretch.

        The same state as ``learn_one(0.0, ...)`` n times; subclasses whose memory is bounded override it so
        that the cost is bounded by that memory, not by ``n`` (a jump of years must not walk every step).
        """
        for i in range(n):
            self.learn_one(0.0, start + i * step)

    def checkpoint(self) -> bytes:
        return dump(self)

    @staticmethod
    def restore(blob: bytes) -> Detector:
        return load_as(blob, Detector)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"
