"""One BLAS thread while enrichment steps run, and how many threads torch gets.

The fast steps multiply small matrices (a batch by a few hundred features by a handful of classes). For
those, OpenBLAS's extra threads do no useful work and spin while they wait: on the shared 2-core machine
that doubled the CPU time of the fast tier. The limit is scoped to the steps, not set for the process.

Example:
    >>> with one_blas_thread():
    ...     pass
"""

from __future__ import annotations

import os
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


TORCH_THREADS_ENV = "PARALLAX_TORCH_THREADS"


def torch_threads() -> int:
    """Threads for the accurate tier's torch: ``PARALLAX_TORCH_THREADS`` when set (a worker pool gives each
    process its share of the cores), else every CPU this process may run on."""
    configured = os.environ.get(TORCH_THREADS_ENV, "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
