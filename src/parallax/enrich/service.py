"""Enrich the interactions of a workspace that the pipeline's version has not seen yet."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from parallax.enrich.pipeline import BatchRunner, Enriched
from parallax.enrich.repository import (
    PendingInteraction,
    insert_enrichments,
    make_version_current,
    pending_interactions,
    retire_other_versions,
)

VERSION_MAX = 100  # the width of enrichment.version


@dataclass(frozen=True)
class EnrichReport:
    version: str
    enriched: int
    batches: int


def storage_version(pipeline: BatchRunner) -> str:
    """The pipeline version as stored: the full text when it fits, else a readable prefix plus a digest."""
    full = pipeline.version
    if len(full) <= VERSION_MAX:
        return full
    digest = hashlib.sha1(full.encode()).hexdigest()[:12]
    return f"{full[: VERSION_MAX - 13]}#{digest}"


def enrich_pending(
    session: Session,
    workspace_id: str,
    pipeline: BatchRunner,
    batch_size: int = 1000,
    limit: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Run the pipeline over up to ``limit`` pending interactions in batches; never commits.

    A pipeline with several workers (``PipelinePool``) gets one batch per worker at a time; the batches are
    the ones a single process would run, so the rows do not depend on the number of workers."""
    version = storage_version(pipeline)
    after_id, enriched, batches = 0, 0, 0
    while limit is None or enriched < limit:
        size = batch_size * pipeline.workers
        size = size if limit is None else min(size, limit - enriched)
        pending = pending_interactions(session, workspace_id, version, after_id, size)
        if not pending:
            break
        chunks = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]
        done = pipeline.run_many([[_to_enriched(p) for p in chunk] for chunk in chunks])
        for chunk, batch in zip(chunks, done, strict=True):
            insert_enrichments(session, [to_row(item, workspace_id, version, pipeline) for item in batch])
            retire_other_versions(session, workspace_id, [p.id for p in chunk], version)
            batches += 1
            if on_batch is not None:
                on_batch(len(chunk))
        after_id, enriched = pending[-1].id, enriched + len(pending)
    make_version_current(session, workspace_id, version)
    return EnrichReport(version, enriched, batches)


def _to_enriched(pending: PendingInteraction) -> Enriched:
    return Enriched(interaction_id=pending.id, text=pending.text, channel=pending.channel, kind=pending.kind)


def to_row(item: Enriched, workspace_id: str, version: str, pipeline: BatchRunner) -> dict[str, Any]:
    """One enrichment row: the columns metrics group on, everything else in ``detail``."""
    detail: dict[str, Any] = {
        "language_confidence": item.language_confidence,
        "sentiment_probs": item.sentiment_probs,
        "emotions": item.emotions,
        "signals": item.signals,
        "categories": [[label, confidence] for label, confidence in item.categories],
        "entities": item.entities,
    }
    if item.extra:
        detail["extra"] = item.extra
    return {
        "workspace_id": workspace_id,
        "interaction_id": item.interaction_id,
        "version": version,
        "current": True,
        "language": item.language,
        "sentiment_label": item.sentiment_label,
        "sentiment_score": item.sentiment_score,
        "sentiment_confidence": item.sentiment_confidence,
        "emotion": item.emotion,
        "friction": item.friction,
        "repeated_effort": item.repeated_effort,
        "category": item.category[:80] if item.category else None,
        "redacted_text": item.redacted_text,
        "detail": detail,
        "model_versions": pipeline.model_versions,
    }
