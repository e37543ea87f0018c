"""One BLAS thread while enrichment steps run.

The fast steps multiply small matrices (a batch by a few hundred features by a handful of classes). For
those, OpenBLAS's extra threads do no useful work and spin while they wait: on the shared 2-core machine
that doubled the CPU time of the fast tier. The limit is scoped to the steps, not set for the process.

Example:
    >>> with one_blas_thread():
    ...     pass
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any


@cache
def _controller() -> Any:
    # Built once (it inspects every loaded native library); entering a limit afterwards costs microseconds.
    import numpy  # noqa: F401  (loads the BLAS the controller must see)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    with _controller().limit(limits=1, user_api="blas"):
        yield
