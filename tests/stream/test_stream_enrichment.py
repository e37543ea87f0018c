"""The stream runs only the pipeline stages the detectors read; what they see must not change."""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from parallax.alerts.events import SignalEvent, event_keys
from parallax.enrich.pipeline import Enriched
from parallax.enrich.registry import default_pipeline
from parallax.stream.enrichment import PooledEnricher, StreamEnricher, redact_text
from parallax.stream.synthetic import Plan, background_payload, spike_payload


def _synthetic(n: int) -> list[dict[str, Any]]:
    rng, plan = random.Random(5), Plan(datetime(2026, 3, 2), timedelta(0))
    at = datetime(2026, 3, 2, 9)
    return [(spike_payload if i % 5 == 0 else background_payload)(rng, plan, i, at) for i in range(n)]


def _tweets(shared_data: Path, n: int) -> list[dict[str, Any]]:
    path = shared_data / "airline-tweets" / "tweets_dev.csv"
    with path.open(newline="") as handle:
        rows = [row for _, row in zip(range(n), csv.DictReader(handle), strict=False)]
    return [
        {
            "workspace_id": "acme",
            "source": "tweets",
            "external_id": row["tweet_id"],
            "channel": "twitter",
            "occurred_at": "2015-02-24T11:35:52",
            "text": row["text"],
        }
        for row in rows
    ]


def _what_detectors_read(event: SignalEvent) -> tuple[object, ...]:
    """Keys counted, and what a spike's description takes from a complaint."""
    complaint = event.sentiment == "negative"
    return (
        [k.name for k in event_keys(event)],
        event.entities if complaint else None,
        event.text if complaint else None,
    )


def _whole_pipeline(payloads: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    """The reference: every stage of the fast tier, as the stream ran it before."""
    batch = [Enriched(interaction_id=i, text=p["text"], channel=p["channel"]) for i, p in enumerate(payloads)]
    default_pipeline("fast").run(batch)
    events = [
        SignalEvent(
            "acme", "x", str(i), datetime(2026, 1, 1), e.channel, e.sentiment_label or "neutral",
            e.category, {}, dict(e.entities), redact_text(e.text),
        )
        for i, e in enumerate(batch)
    ]  # fmt: skip
    return [_what_detectors_read(e) for e in events]


def _stream(payloads: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    events = StreamEnricher("fast").enrich(payloads)
    return [_what_detectors_read(e) for e in events]


def _negatives(rows: list[tuple[object, ...]]) -> int:
    return sum("negative" in row[0] for row in rows)  # type: ignore[operator]


def test_detectors_see_the_same_on_synthetic_messages() -> None:
    payloads = [{**p, "segments": {}} for p in _synthetic(400)]
    stream = _stream(payloads)
    assert stream == _whole_pipeline(payloads)
    assert 0 < 2 * _negatives(stream) <= len(stream)  # complaints categorised on their own


def test_detectors_see_the_same_on_real_tweets(shared_data: Path) -> None:
    payloads = _tweets(shared_data, 600)
    stream = _stream(payloads)
    assert stream == _whole_pipeline(payloads)
    assert 2 * _negatives(stream) > len(stream)  # mostly complaints: the whole batch categorised


def test_non_complaints_get_no_topic() -> None:
    events = StreamEnricher("fast").enrich(_synthetic(200))
    assert {e.category for e in events if e.sentiment != "negative"} == {None}
    assert any(e.category for e in events if e.sentiment == "negative")


@pytest.mark.parametrize("use_pipeline", [False, True])
def test_pooled_enricher_matches_the_in_process_one(use_pipeline: bool) -> None:
    payloads = _synthetic(120)
    pool = PooledEnricher(workers=2, use_pipeline=use_pipeline)
    try:
        pooled = pool.enrich(payloads)
    finally:
        pool.close()
    assert pooled == StreamEnricher("fast", use_pipeline=use_pipeline).enrich(payloads)
