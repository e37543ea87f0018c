"""A tier's pipeline in several worker processes, so that enrichment uses every core.

The steps are Python and numpy (fast tier) or torch (accurate tier) and hold the GIL, so threads would not
help: each worker process builds the pipeline once (its models load once per worker) and runs whole
batches. A batch is never split between workers: the accurate tier quantises activations per batch, so a
batch's outputs would otherwise depend on the number of workers. Each worker's torch gets its share of the
cores (``PARALLAX_TORCH_THREADS``), so ``workers`` processes do not oversubscribe the machine.

Example:
    >>> with PipelinePool("baseline", workers=2) as pool:  # doctest: +SKIP
    ...     [batch] = pool.run_many([[Enriched(1, "late again")]])
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import time
from dataclasses import dataclass, fields
from types import TracebackType
from typing import TYPE_CHECKING, Any

from parallax.enrich.pipeline import Enriched, Pipeline
from parallax.enrich.threads import TORCH_THREADS_ENV, one_blas_thread, torch_threads
from parallax.kit.errors import ParallaxError

if TYPE_CHECKING:
    from parallax.enrich.categories.workspace import TaxonomyChoice


@dataclass(frozen=True)
class WorkerInfo:
    version: str
    model_versions: dict[str, str]
    load_seconds: float  # building the pipeline and a first tiny batch, in the worker


# An item travels as a tuple of its fields: unpickling dataclass instances cost three times as much.
_FIELDS = tuple(field.name for field in fields(Enriched))
Packed = list[tuple[Any, ...]]


def _pack(batch: list[Enriched]) -> Packed:
    return [tuple(getattr(item, name) for name in _FIELDS) for item in batch]


def _unpack(rows: Packed) -> list[Enriched]:
    return [Enriched(*row) for row in rows]


@dataclass(frozen=True)
class TimedBatch:
    """One batch run in a worker: the enriched items, each step's wall seconds and the worker's CPU time."""

    rows: Packed
    step_seconds: dict[str, float]
    cpu_seconds: float

    @property
    def items(self) -> list[Enriched]:
        return _unpack(self.rows)


class PipelinePool:
    """``run_many`` runs whole batches in ``workers`` processes, in order; ``version`` is the pipeline's."""

    def __init__(self, tier: str, workers: int = 2, taxonomy: TaxonomyChoice | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        threads = max(1, torch_threads() // workers)
        context = multiprocessing.get_context("spawn")  # no fork of a parent holding torch or BLAS threads
        barrier = context.Barrier(workers)
        self._executor = concurrent.futures.ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(tier, taxonomy, threads, barrier),
        )
        # One task per worker; the barrier holds each worker until all have loaded, so all of them start.
        try:
            infos = list(self._executor.map(_describe, range(workers)))
        except BaseException:
            self.close()
            raise
        self.info = infos[0]
        self.load_seconds = max(info.load_seconds for info in infos)

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def model_versions(self) -> dict[str, str]:
        return self.info.model_versions

    def run_many(self, batches: list[list[Enriched]]) -> list[list[Enriched]]:
        return [_unpack(rows) for rows in self._executor.map(_run_batch, map(_pack, batches))]

    def run_timed(self, batches: list[list[str]]) -> list[TimedBatch]:
        """Texts in, enriched items out, with each step timed in the worker (for ``parallax bench``)."""
        return list(self._executor.map(_timed_batch, batches))

    def vader_cpu_seconds(self, batches: list[list[str]]) -> list[float]:
        """VADER alone over ``batches`` in the same workers: the baseline of the bench's ratios."""
        return list(self._executor.map(_vader_batch, batches))

    def close(self) -> None:
        self._executor.shutdown(cancel_futures=True)

    def __enter__(self) -> PipelinePool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


# Run once at start, so that what a step loads lazily loads with the pipeline rather than in a first batch.
WARM_UP = (
    "my flight UA 1234 from JFK to LAX is late again, third time this month! call me at +1 212 555 0199",
    "Mi vuelo a Madrid está retrasado otra vez y nadie me explica nada",
    "thanks @united, the crew was great :) booking ref ABC123, jane.doe@example.com",
)
_PIPELINE: Pipeline | None = None
_LOAD_SECONDS = 0.0
_FAILURE: ParallaxError | None = None  # why the pipeline could not be built (e.g. a missing extra)
_VADER: Any = None


def _start_worker(tier: str, taxonomy: TaxonomyChoice | None, threads: int, barrier: Any) -> None:
    global _PIPELINE, _LOAD_SECONDS, _FAILURE
    os.environ[TORCH_THREADS_ENV] = str(threads)  # read when the accurate model loads, below
    from parallax.enrich.registry import default_pipeline

    started = time.perf_counter()
    try:
        _PIPELINE = default_pipeline(tier, taxonomy=taxonomy)
        _PIPELINE.run([Enriched(i, text) for i, text in enumerate(WARM_UP)])
    except ParallaxError as exc:
        # Raised again by each task as a plain ParallaxError (subclasses need not pickle): an initializer
        # that raises would break the pool with no reason given.
        _FAILURE = ParallaxError(exc.detail)
    _LOAD_SECONDS = time.perf_counter() - started
    barrier.wait(timeout=900)


def _pipeline() -> Pipeline:
    if _FAILURE is not None:
        raise _FAILURE
    assert _PIPELINE is not None, "the worker's initializer builds the pipeline"
    return _PIPELINE


def _describe(_: int) -> WorkerInfo:
    pipeline = _pipeline()
    return WorkerInfo(pipeline.version, pipeline.model_versions, _LOAD_SECONDS)


def _run_batch(rows: Packed) -> Packed:
    return _pack(_pipeline().run(_unpack(rows)))


def _timed_batch(texts: list[str]) -> TimedBatch:
    pipeline = _pipeline()
    cpu = time.process_time()
    items = [Enriched(i, text) for i, text in enumerate(texts)]
    seconds = dict.fromkeys((step.name for step in pipeline.steps), 0.0)
    with one_blas_thread():  # as Pipeline.run does
        for step in pipeline.steps:
            started = time.perf_counter()
            step.apply(items)
            seconds[step.name] += time.perf_counter() - started
    rows = _pack(items)
    return TimedBatch(rows, seconds, time.process_time() - cpu)


def _vader_batch(texts: list[str]) -> float:
    global _VADER
    if _VADER is None:
        from parallax.enrich.sentiment.vader import VaderModel

        _VADER = VaderModel()
    cpu = time.process_time()
    _VADER.predict_proba(texts)
    return time.process_time() - cpu
