"""The stream labels each workspace's complaints with that workspace's own taxonomy, as ``parallax enrich``
does, and the worker re-reads the taxonomies at its checkpoints."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from enrich_samples import SHOP_TAXONOMY as SHOP
from sqlalchemy.orm import Session, sessionmaker

from parallax.enrich.categories import workspace as taxonomy_settings
from parallax.enrich.categories.workspace import TaxonomyChoice, parse_choice, save_choice
from parallax.enrich.pipeline import Enriched
from parallax.enrich.registry import default_pipeline
from parallax.stream.bus import InProcessBus
from parallax.stream.enrichment import PooledEnricher, StreamEnricher
from parallax.stream.worker import StreamWorker
from parallax.stream.workspace_settings import TAXONOMY_SETTING, edited_taxonomies

SHOP_IDS = {"late_parcel", "wrong_item", "other"}
COMPLAINTS = (
    "Terrible service, my parcel still has not arrived and nobody answers. Where is my order?",
    "Awful. You sent me the wrong size again, this is not what I ordered. Furious.",
    "Worst delivery ever, two weeks late and the tracking shows nothing. Useless!",
    "My flight was cancelled and I am stuck at the airport for hours, horrible airline",
)


def _payloads(workspace: str) -> list[dict[str, Any]]:
    at = datetime(2026, 3, 2, 9)
    return [
        {"workspace_id": workspace, "source": "t", "external_id": f"{workspace}{i}", "channel": "email",
         "occurred_at": at, "text": text}
        for i, text in enumerate(COMPLAINTS)
    ]  # fmt: skip


def _reference_categories(choice: TaxonomyChoice | None) -> list[str | None]:
    """What ``parallax enrich`` gives these complaints with ``choice`` (the whole fast pipeline)."""
    batch = [Enriched(interaction_id=i, text=t, channel="email") for i, t in enumerate(COMPLAINTS)]
    default_pipeline("fast", taxonomy=choice).run(batch)
    return [e.category if e.sentiment_label == "negative" else None for e in batch]


def test_each_workspace_gets_its_own_taxonomy() -> None:
    shop = parse_choice({"yaml": SHOP})
    enricher = StreamEnricher("fast")
    enricher.set_taxonomies({"shop": shop})
    events = enricher.enrich(_payloads("shop") + _payloads("acme"))
    shops, airline = events[: len(COMPLAINTS)], events[len(COMPLAINTS) :]
    assert [e.category for e in shops] == _reference_categories(shop)
    assert [e.category for e in airline] == _reference_categories(None)
    negative = [e.category for e in shops if e.sentiment == "negative"]
    assert negative and set(negative) <= SHOP_IDS
    assert {"late_parcel", "wrong_item"} & set(negative)
    airline_topics = {e.category for e in airline}
    assert "cancellations" in airline_topics  # the other workspace keeps the built-in taxonomy
    assert not {"late_parcel", "wrong_item"} & airline_topics


def test_the_pooled_enricher_sends_each_chunk_with_its_taxonomy() -> None:
    taxonomies = {"shop": parse_choice({"yaml": SHOP})}
    payloads = [p for pair in zip(_payloads("shop"), _payloads("acme"), strict=True) for p in pair]
    pool = PooledEnricher(workers=2)
    try:
        pool.set_taxonomies(taxonomies)
        pooled = pool.enrich(payloads)
    finally:
        pool.close()
    local = StreamEnricher("fast")
    local.set_taxonomies(taxonomies)
    assert pooled == local.enrich(payloads)
    assert SHOP_IDS & {e.category for e in pooled if e.workspace_id == "shop"}


def test_the_worker_rereads_taxonomies_at_checkpoints(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    assert TAXONOMY_SETTING == taxonomy_settings.SETTING

    def stored() -> dict[str, TaxonomyChoice]:
        with session_factory() as session:
            return edited_taxonomies(session)

    enricher = StreamEnricher(use_pipeline=False)
    worker = StreamWorker(InProcessBus(), None, enricher, taxonomies=stored)
    asyncio.run(worker.checkpoint())
    assert enricher.taxonomies == {}  # nobody chose one: the built-in taxonomy everywhere
    with session_factory() as session:
        save_choice(session, workspace, {"yaml": SHOP}, "analyst@acme.test")
        session.commit()
    asyncio.run(worker.checkpoint())
    assert enricher.taxonomies == {workspace: parse_choice({"yaml": SHOP})}
    with session_factory() as session:
        save_choice(session, workspace, {"pack": "telecom"}, "analyst@acme.test")
        session.commit()
    asyncio.run(worker.checkpoint())
    assert enricher.taxonomies == {workspace: TaxonomyChoice(pack="telecom")}
