"""Enrichment for the stream: the shared enrichment pipeline when it builds, else VADER plus keywords.

The detectors read four things: a sentiment label for every event, and, for negative events only, a topic,
entities and a redacted text (``event_keys`` counts topics only for complaints, and ``RecentEvents`` keeps
only complaints to describe a spike). So the stream runs the pipeline's sentiment stage on every message
and its category and entity stages on the negative ones; language, emotion and friction signals are left
to the batch ``parallax enrich`` (nothing here reads them). What the detectors see is the same as with the
whole pipeline, at a third to two thirds of the cost. Whichever path runs, text is redacted before it
leaves this module (PII never reaches an alert).

Topics follow each workspace's own complaint taxonomy (``set_taxonomies``: the ``taxonomy`` setting that
``parallax enrich`` uses too), so a live spike's topic is one of the categories the workspace sees in its
reports. Payloads are labelled per taxonomy; the built-in one serves every workspace that chose none.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from parallax.alerts.events import SignalEvent
from parallax.kit.clock import to_naive_utc
from parallax.kit.limits import scored_text

if TYPE_CHECKING:
    from parallax.enrich.categories.workspace import TaxonomyChoice

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
# Bounded runs: an unbounded local part made every start of a long word scan to its end (quadratic).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,253}")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,40}\d")

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


def _pipeline_of(tier: str, stages: tuple[str, ...], taxonomy: TaxonomyChoice | None = None) -> Any:
    from parallax.enrich.registry import STAGES, default_pipeline

    skip = tuple(name for name, _ in STAGES if name not in stages)
    return default_pipeline(tier, skip=skip, taxonomy=taxonomy)


def _own(taxonomy: TaxonomyChoice | None) -> TaxonomyChoice | None:
    """``taxonomy`` when it is a workspace's own choice; None for the built-in default."""
    if taxonomy is None:
        return None
    from parallax.enrich.categories.workspace import DEFAULT_CHOICE

    return None if taxonomy == DEFAULT_CHOICE else taxonomy


def group_by_taxonomy(
    payloads: Sequence[dict[str, Any]], taxonomies: dict[str, TaxonomyChoice]
) -> dict[TaxonomyChoice | None, list[int]]:
    """Indices of ``payloads`` per taxonomy in force for their workspace (None: the built-in one)."""
    groups: dict[TaxonomyChoice | None, list[int]] = {}
    for i, payload in enumerate(payloads):
        groups.setdefault(_own(taxonomies.get(str(payload["workspace_id"]))), []).append(i)
    return groups


class StreamEnricher:
    """Runs the shared pipeline (``tier``) over each batch; falls back to VADER if it cannot be built."""

    def __init__(self, tier: str = "fast", use_pipeline: bool = True) -> None:
        self.tier = tier
        self.use_pipeline = use_pipeline
        self._every: Any = None
        self._topics: Any = None
        self._complaints: Any = None
        self._vader: Any = None
        self.taxonomies: dict[str, TaxonomyChoice] = {}
        self._topics_by: dict[TaxonomyChoice, Any] = {}  # a topics pipeline per workspace taxonomy
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

    def set_taxonomies(self, taxonomies: dict[str, TaxonomyChoice]) -> None:
        """Label each workspace's complaints with its own taxonomy from the next batch on."""
        self.taxonomies = dict(taxonomies)

    def _topics_for(self, taxonomy: TaxonomyChoice | None) -> Any:
        if taxonomy is None:
            return self._topics
        if taxonomy not in self._topics_by:
            self._topics_by[taxonomy] = _pipeline_of(self.tier, TOPIC_STAGES, taxonomy)
        return self._topics_by[taxonomy]

    def labels(
        self, texts: Sequence[str], channels: Sequence[str], taxonomy: TaxonomyChoice | None = None
    ) -> list[Labels]:
        """Sentiment for every text; topic (in ``taxonomy``, else the built-in one) and entities for the
        negative ones; every text redacted. Without the pipeline, topics are the keyword taxonomy's."""
        if self._every is None:
            return [self._vader_labels(text) for text in texts]
        from parallax.enrich.pipeline import Enriched

        taxonomy = _own(taxonomy)
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
            self._topics_for(taxonomy).run(negative if 2 * len(negative) <= len(batch) else batch)
            self._complaints.run(negative)
        # The keyword topics belong to the built-in taxonomy: a workspace's own gets its categories only.
        fallback = keyword_topic if taxonomy is None else _no_topic
        return [
            (
                e.sentiment_label or "neutral",
                (e.category or fallback(e.text)) if e.sentiment_label == "negative" else None,
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
        labels: list[Labels | None] = [None] * len(payloads)
        for taxonomy, indices in group_by_taxonomy(payloads, self.taxonomies).items():
            part = self.labels([texts[i] for i in indices], [channels[i] for i in indices], taxonomy)
            for i, label in zip(indices, part, strict=True):
                labels[i] = label
        return build_events(payloads, _filled(labels))


def _no_topic(text: str) -> None:
    return None


def _filled(labels: Sequence[Labels | None]) -> list[Labels]:
    assert all(label is not None for label in labels)
    return [label for label in labels if label is not None]


def texts_and_channels(payloads: Sequence[dict[str, Any]]) -> tuple[list[str], list[str]]:
    texts = [scored_text(str(p.get("text") or "")) for p in payloads]
    return texts, [str(p.get("channel", "other")) for p in payloads]


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
        self.taxonomies: dict[str, TaxonomyChoice] = {}
        context = multiprocessing.get_context("spawn")
        self._pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(tier, use_pipeline)
        )

    def set_taxonomies(self, taxonomies: dict[str, TaxonomyChoice]) -> None:
        """As ``StreamEnricher.set_taxonomies``; each chunk carries its taxonomy to the process (a pack
        name or a page of YAML; each process builds a taxonomy's step once)."""
        self.taxonomies = dict(taxonomies)

    def _chunks(
        self, payloads: Sequence[dict[str, Any]]
    ) -> list[tuple[list[int], list[str], list[str], TaxonomyChoice | None]]:
        """One chunk per process and taxonomy: (indices, texts, channels, taxonomy)."""
        texts, channels = texts_and_channels(payloads)
        size = -(-len(payloads) // self.workers)
        chunks = []
        for taxonomy, indices in group_by_taxonomy(payloads, self.taxonomies).items():
            for k in range(0, len(indices), size):
                part = indices[k : k + size]
                chunks.append((part, [texts[i] for i in part], [channels[i] for i in part], taxonomy))
        return chunks

    @staticmethod
    def _assemble(
        payloads: Sequence[dict[str, Any]], chunks: Sequence[tuple[list[int], Any, Any, Any]], parts: Any
    ) -> list[SignalEvent]:
        labels: list[Labels | None] = [None] * len(payloads)
        for (indices, *_), part in zip(chunks, parts, strict=True):
            for i, label in zip(indices, part, strict=True):
                labels[i] = label
        return build_events(payloads, _filled(labels))

    async def enrich_async(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        import asyncio

        if not payloads:
            return []
        chunks = self._chunks(payloads)
        loop = asyncio.get_running_loop()
        parts = await asyncio.gather(
            *(loop.run_in_executor(self._pool, _label_chunk, *chunk[1:]) for chunk in chunks)
        )
        return self._assemble(payloads, chunks, parts)

    def enrich(self, payloads: Sequence[dict[str, Any]]) -> list[SignalEvent]:
        chunks = self._chunks(payloads)
        parts = [self._pool.submit(_label_chunk, *chunk[1:]).result() for chunk in chunks]
        return self._assemble(payloads, chunks, parts)

    def close(self) -> None:
        """Stop the processes now: one busy on a chunk of long texts would otherwise hold the exit for
        minutes (what it was enriching is left unacknowledged by the worker, and delivered again)."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())  # no public handle
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)


_WORKER_ENRICHER: StreamEnricher | None = None


def _init_worker(tier: str, use_pipeline: bool) -> None:
    global _WORKER_ENRICHER
    logging.getLogger(__name__).setLevel(logging.ERROR)
    _WORKER_ENRICHER = StreamEnricher(tier, use_pipeline)


def _label_chunk(texts: list[str], channels: list[str], taxonomy: TaxonomyChoice | None) -> list[Labels]:
    assert _WORKER_ENRICHER is not None
    return _WORKER_ENRICHER.labels(texts, channels, taxonomy)
