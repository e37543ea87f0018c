"""Enrichment for the stream: the shared enrichment pipeline when it builds, else VADER plus keywords.

The detectors need a sentiment label, a topic, entities and a redacted text; whichever path runs, text is
redacted before it leaves this module (PII never reaches an alert).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol

from parallax.alerts.events import SignalEvent
from parallax.kit.clock import to_naive_utc

log = logging.getLogger(__name__)

# A small complaint taxonomy used only when the enrichment pipeline gives no category.
KEYWORD_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cancellation", ("cancel",)),
    ("delay", ("delay", "late", "waiting", "stuck", "hours", "missed connection")),
    ("baggage", ("bag", "luggage", "suitcase")),
    ("refund", ("refund", "charge", "money back", "compensation")),
    ("staff", ("rude", "staff", "crew", "agent")),
    ("digital", ("app", "website", "check-in", "online", "login")),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


class Enricher(Protocol):
    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]: ...


def keyword_topic(text: str) -> str | None:
    lowered = text.lower()
    for topic, words in KEYWORD_TOPICS:
        if any(word in lowered for word in words):
            return topic
    return None


def redact_text(text: str) -> str:
    """The enrichment room's redactor, then a broad net: anything shaped like a phone number or email goes
    (numbers a validator rejects, such as reserved ranges, are still someone's digits)."""
    try:
        from parallax.enrich.pii import redact

        text = redact(text)
    except ImportError:
        pass
    return _PHONE.sub("[PHONE]", _EMAIL.sub("[EMAIL]", text))


class StreamEnricher:
    """Runs the shared pipeline (``tier``) over each batch; falls back to VADER if it cannot be built."""

    def __init__(self, tier: str = "fast", use_pipeline: bool = True) -> None:
        self.tier = tier
        self.use_pipeline = use_pipeline
        self._pipeline: Any = None
        self._vader: Any = None
        if use_pipeline:
            try:
                from parallax.enrich.registry import default_pipeline

                self._pipeline = default_pipeline(tier)
            except Exception as exc:  # a failure building another room's pipeline must not stop the stream
                log.warning("enrichment pipeline unavailable (%s); using VADER", type(exc).__name__)
        if self._pipeline is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._vader = SentimentIntensityAnalyzer()

    @property
    def name(self) -> str:
        return self._pipeline.version if self._pipeline is not None else "vader+keywords"

    def _labels(
        self, payloads: Sequence[dict[str, Any]]
    ) -> list[tuple[str, str | None, dict[str, list[str]], str]]:
        texts = [str(p.get("text") or "") for p in payloads]
        if self._pipeline is not None:
            from parallax.enrich.pipeline import Enriched

            batch = [
                Enriched(interaction_id=i, text=t, channel=str(p.get("channel", "other")))
                for i, (t, p) in enumerate(zip(texts, payloads, strict=True))
            ]
            self._pipeline.run(batch)
            return [
                (
                    e.sentiment_label or "neutral",
                    e.category or keyword_topic(e.text),
                    dict(e.entities),
                    e.redacted_text if e.redacted_text is not None else redact_text(e.text),
                )
                for e in batch
            ]
        out: list[tuple[str, str | None, dict[str, list[str]], str]] = []
        for text in texts:
            compound = self._vader.polarity_scores(text)["compound"] if text else 0.0
            label = "negative" if compound <= -0.05 else "positive" if compound >= 0.05 else "neutral"
            out.append((label, keyword_topic(text), {}, redact_text(text)))
        return out

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        from datetime import datetime

        events = []
        for payload, (label, topic, entities, redacted) in zip(payloads, self._labels(payloads), strict=True):
            occurred = payload["occurred_at"]
            when = occurred if isinstance(occurred, datetime) else datetime.fromisoformat(str(occurred))
            segments = {str(k): str(v) for k, v in (payload.get("segments") or {}).items()}
            tier = segments.get("loyalty_tier", "").lower()
            events.append(
                SignalEvent(
                    workspace_id=str(payload["workspace_id"]),
                    source=str(payload["source"]),
                    external_id=str(payload["external_id"]),
                    occurred_at=to_naive_utc(when),
                    channel=str(payload.get("channel", "other")),
                    sentiment=label,
                    category=topic,
                    segments=segments,
                    entities=entities,
                    text=redacted,
                    customer_value=1.0 if tier in ("gold", "platinum", "diamond", "vip") else 0.0,
                    arrived=float(payload.get("_arrived", 0.0)),
                )
            )
        return events


class PooledEnricher:
    """Enrichment spread over ``workers`` processes (sentiment models are CPU-bound and hold the GIL).

    Each process builds its own ``StreamEnricher`` once; a batch is split into one chunk per process.
    """

    def __init__(self, workers: int = 2, tier: str = "fast") -> None:
        import concurrent.futures
        import multiprocessing

        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self._pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(tier,)
        )

    async def enrich_async(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        import asyncio

        if not payloads:
            return []
        size = -(-len(payloads) // self.workers)
        chunks = [list(payloads[i : i + size]) for i in range(0, len(payloads), size)]
        loop = asyncio.get_running_loop()
        parts = await asyncio.gather(*(loop.run_in_executor(self._pool, _enrich_chunk, c) for c in chunks))
        return [event for part in parts for event in part]

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        return self._pool.submit(_enrich_chunk, list(payloads)).result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


_WORKER_ENRICHER: StreamEnricher | None = None


def _init_worker(tier: str) -> None:
    global _WORKER_ENRICHER
    logging.getLogger(__name__).setLevel(logging.ERROR)
    _WORKER_ENRICHER = StreamEnricher(tier)


def _enrich_chunk(payloads: list[dict[str, Any]]) -> list[SignalEvent]:
    assert _WORKER_ENRICHER is not None
    return _WORKER_ENRICHER.enrich(payloads)
