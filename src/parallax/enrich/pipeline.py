"""The enrichment contract: each step reads and fills ``Enriched`` items for a whole batch.

Example:
    >>> class Shout:
    ...     name, version = "shout", "1"
    ...     def apply(self, batch: list[Enriched]) -> None:
    ...         for item in batch:
    ...             item.redacted_text = item.text.upper()
    >>> batch = [Enriched(interaction_id=1, text="late again")]
    >>> Pipeline([Shout()]).run(batch)[0].redacted_text
    'LATE AGAIN'
    >>> Pipeline([Shout()]).version
    'shout@1'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from parallax.kit.limits import scored_text


@dataclass
class Enriched:
    """What the pipeline knows about one interaction so far; steps fill the fields they own."""

    interaction_id: int
    text: str
    channel: str = "other"
    kind: str = "message"
    language: str | None = None
    language_confidence: float | None = None
    sentiment_label: str | None = None  # negative | neutral | positive
    sentiment_score: float | None = None  # in [-1, 1]
    sentiment_confidence: float | None = None  # calibrated probability of the label
    sentiment_probs: dict[str, float] = field(default_factory=dict)
    emotion: str | None = None  # the strongest of emotions, if any is confident
    emotions: dict[str, float] = field(default_factory=dict)
    signals: dict[str, float] = field(default_factory=dict)  # friction, repeated_effort, ... in [0, 1]
    friction: float | None = None
    repeated_effort: bool | None = None
    categories: list[tuple[str, float]] = field(default_factory=list)  # (label, confidence), best first
    category: str | None = None
    entities: dict[str, list[str]] = field(default_factory=dict)
    redacted_text: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every step reads at most SCORED_TEXT_CHARS (kit/limits.py): a 5 MB text costs what 20,000
        # characters do, whatever a step's own cost per character. The store keeps the whole text.
        self.text = scored_text(self.text)


@runtime_checkable
class Step(Protocol):
    """One unit of enrichment. ``version`` changes whenever its outputs could change."""

    name: str
    version: str

    def apply(self, batch: list[Enriched]) -> None: ...


class BatchRunner(Protocol):
    """What the enrichment service needs: a pipeline here (``Pipeline``) or in worker processes
    (``parallax.enrich.pool.PipelinePool``). ``run_many`` keeps each batch whole, so a batch's outputs do not
    depend on how many workers there are."""

    workers: int

    @property
    def version(self) -> str: ...

    @property
    def model_versions(self) -> dict[str, str]: ...

    def run_many(self, batches: list[list[Enriched]]) -> list[list[Enriched]]: ...


class Pipeline:
    """Runs steps in order over a batch; the pipeline version names every step's version."""

    workers = 1

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = list(steps)

    @property
    def version(self) -> str:
        return "+".join(f"{step.name}@{step.version}" for step in self.steps)

    @property
    def model_versions(self) -> dict[str, str]:
        return {step.name: step.version for step in self.steps}

    def run(self, batch: list[Enriched]) -> list[Enriched]:
        from parallax.enrich.threads import one_blas_thread

        with one_blas_thread():
            for step in self.steps:
                step.apply(batch)
        return batch

    def run_many(self, batches: list[list[Enriched]]) -> list[list[Enriched]]:
        return [self.run(batch) for batch in batches]
