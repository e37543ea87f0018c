"""Enrichment for the stream: the shared enrichment pipeline when it builds, else VADER plus keywords.

The detectors read four things: a sentiment label for every event, and, for negative events only, a topic,
entities and a redacted text (``event_keys`` counts topics only for complaints, and ``RecentEvents`` keeps
only complaints to describe a spike). So the stream runs the pipeline's sentiment stage on every message
and its category and entity stages on the negative ones; language, emotion and friction signals are left
to the batch ``parallax enrich`` (nothing here reads them). What the detectors see is the same as with the
whole pipeline, at a third to two thirds of the cost. Whichever path runs, text is redacted before it
leaves this module (PII never reaches an alert).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
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
# Pipeline stages the detectors read: sentiment on every event, the rest only on complaints.
EVERY_EVENT_STAGES = ("sentiment",)
TOPIC_STAGES = ("categories",)
COMPLAINT_STAGES = ("pii", "entities")
TOP_TIERS = ("gold", "platinum", "diamond", "vip")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")

# (sentiment label, topic, entities, redacted text): what enrichment adds to a payload.
Labels = tuple[str, str | None, dict[str, list[str]], str]


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


def _pipeline_of(tier: str, stages: tuple[str, ...]) -> Any:
    from parallax.enrich.registry import STAGES, default_pipeline

    return default_pipeline(tier, skip=tuple(name for name, _ in STAGES if name not in stages))


class StreamEnricher:
    """Runs the shared pipeline (``tier``) over each batch; falls back to VADER if it cannot be built."""

    def __init__(self, tier: str = "fast", use_pipeline: bool = True) -> None:
        self.tier = tier
        self.use_pipeline = use_pipeline
        self._every: Any = None
        self._topics: Any = None
        self._complaints: Any = None
        self._vader: Any = None
        if use_pipeline:
            try:
                self._every = _pipeline_of(tier, EVERY_EVENT_STAGES)
                self._topics = _pipeline_of(tier, TOPIC_STAGES)
                self._complaints = _pipeline_of(tier, COMPLAINT_STAGES)
            except Exception as exc:  # a failure building another room's pipeline must not stop the stream
                log.warning("enrichment pipeline unavailable (%s); using VADER", type(exc).__name__)
                self._every = None
        if self._every is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._vader = SentimentIntensityAnalyzer()

    @property
    def name(self) -> str:
        if self._every is None:
            return "vader+keywords"
        return "+".join(p.version for p in (self._every, self._topics, self._complaints))

    def labels(self, texts: Sequence[str], channels: Sequence[str]) -> list[Labels]:
        """Sentiment for every text; topic and entities for the negative ones; every text redacted."""
        if self._every is None:
            return [self._vader_labels(text) for text in texts]
        from parallax.enrich.pipeline import Enriched

        batch = [
            Enriched(interaction_id=i, text=t, channel=c)
            for i, (t, c) in enumerate(zip(texts, channels, strict=True))
        ]
        self._every.run(batch)
        negative = [e for e in batch if e.sentiment_label == "negative"]
        if negative:
            # The fast tier featurises a batch once for all its steps: categorising the whole batch reuses
            # the features, categorising the complaints alone computes theirs again. Each costs about as
            # much as the category head (87-145 and 114-127 us a text on synthetic and airline tweets), so
            # the subset is cheaper while at most half the batch is negative.
            self._topics.run(negative if 2 * len(negative) <= len(batch) else batch)
            self._complaints.run(negative)
        return [
            (
                e.sentiment_label or "neutral",
                (e.category or keyword_topic(e.text)) if e.sentiment_label == "negative" else None,
                dict(e.entities),
                e.redacted_text if e.redacted_text is not None else redact_text(e.text),
            )
            for e in batch
        ]

    def _vader_labels(self, text: str) -> Labels:
        compound = self._vader.polarity_scores(text)["compound"] if text else 0.0
        label = "negative" if compound <= -0.05 else "positive" if compound >= 0.05 else "neutral"
        return (label, keyword_topic(text), {}, redact_text(text))

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        texts, channels = texts_and_channels(payloads)
        return build_events(payloads, self.labels(texts, channels))


def texts_and_channels(payloads: Sequence[dict[str, Any]]) -> tuple[list[str], list[str]]:
    return [str(p.get("text") or "") for p in payloads], [str(p.get("channel", "other")) for p in payloads]


def build_events(payloads: Sequence[dict[str, Any]], labels: Sequence[Labels]) -> list[SignalEvent]:
    """Payloads plus their labels, as the detectors see them."""
    events = []
    for payload, (label, topic, entities, redacted) in zip(payloads, labels, strict=True):
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
                customer_value=1.0 if tier in TOP_TIERS else 0.0,
                arrived=float(payload.get("_arrived", 0.0)),
            )
        )
    return events


class PooledEnricher:
    """Enrichment spread over ``workers`` processes (sentiment models are CPU-bound and hold the GIL).

    Each process builds its own ``StreamEnricher`` once; a batch is split into one chunk per process. Only
    texts and channels go to the processes and only label tuples come back (pickling whole payloads and
    events both ways cost more than building the events here).
    """

    def __init__(self, workers: int = 2, tier: str = "fast", use_pipeline: bool = True) -> None:
        import concurrent.futures
        import multiprocessing

        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self._pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(tier, use_pipeline)
        )

    async def enrich_async(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        import asyncio

        if not payloads:
            return []
        texts, channels = texts_and_channels(payloads)
        size = -(-len(payloads) // self.workers)
        loop = asyncio.get_running_loop()
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(self._pool, _label_chunk, texts[i : i + size], channels[i : i + size])
                for i in range(0, len(payloads), size)
            )
        )
        return build_events(payloads, [labels for part in parts for labels in part])

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        texts, channels = texts_and_channels(payloads)
        return build_events(payloads, self._pool.submit(_label_chunk, texts, channels).result())

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


_WORKER_ENRICHER: StreamEnricher | None = None


def _init_worker(tier: str, use_pipeline: bool) -> None:
    global _WORKER_ENRICHER
    logging.getLogger(__name__).setLevel(logging.ERROR)
    _WORKER_ENRICHER = StreamEnricher(tier, use_pipeline)


def _label_chunk(texts: list[str], channels: list[str]) -> list[Labels]:
    assert _WORKER_ENRICHER is not None
    return _WORKER_ENRICHER.labels(texts, channels)
