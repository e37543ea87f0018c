"""A workspace's own taxonomy: validated, stored per workspace, and used by the categories step."""

from __future__ import annotations

import pytest
from enrich_samples import SHOP_TAXONOMY as SHOP
from sqlalchemy.orm import Session, sessionmaker

from parallax.enrich.categories.workspace import (
    DEFAULT_CHOICE,
    TaxonomyChoice,
    categories_step,
    load_choice,
    parse_choice,
    save_choice,
)
from parallax.enrich.pipeline import Enriched
from parallax.enrich.registry import default_pipeline
from parallax.kit.errors import ValidationFailed


def test_a_custom_taxonomy_is_validated_in_full() -> None:
    with pytest.raises(ValidationFailed, match="duplicate category ids: a1"):
        parse_choice(
            {"yaml": "name: x\ncategories:\n  - {id: a1, description: d}\n  - {id: a1, description: e}\n"}
        )
    with pytest.raises(ValidationFailed, match="not valid YAML"):
        parse_choice({"yaml": "name: [unclosed"})
    with pytest.raises(ValidationFailed, match="unknown pack"):
        parse_choice({"pack": "travel"})
    assert parse_choice({"pack": "telecom", "yaml": "  "}) == TaxonomyChoice(pack="telecom")


def test_choice_is_stored_per_workspace(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        assert load_choice(session, workspace) == DEFAULT_CHOICE
        save_choice(session, workspace, {"yaml": SHOP}, "analyst@acme.test")
        session.commit()
    with session_factory() as session:
        assert load_choice(session, workspace).load().name == "shop"
        assert load_choice(session, "other") == DEFAULT_CHOICE


def test_the_categories_step_uses_the_workspace_taxonomy() -> None:
    shop = parse_choice({"yaml": SHOP})
    step = categories_step("baseline", shop)
    items = [
        Enriched(
            interaction_id=1, text="Where is my order? The parcel still has not arrived", channel="email"
        ),
        Enriched(
            interaction_id=2, text="You sent me the wrong size, this is not what I ordered", channel="chat"
        ),
    ]
    step.apply(items)
    assert [item.category for item in items] == ["late_parcel", "wrong_item"]
    edited = parse_choice({"yaml": SHOP.replace("two weeks late", "three weeks late")})
    versions = {
        default_pipeline("baseline").version,
        default_pipeline("baseline", taxonomy=shop).version,
        default_pipeline("baseline", taxonomy=edited).version,
        default_pipeline("baseline", taxonomy=TaxonomyChoice(pack="telecom")).version,
    }
    assert len(versions) == 4  # each taxonomy is its own pipeline version: a change re-enriches
    assert (
        default_pipeline("baseline", taxonomy=DEFAULT_CHOICE).version == default_pipeline("baseline").version
    )


def test_parallax_enrich_uses_the_workspace_taxonomy(
    db_url: str, session_factory: sessionmaker[Session], workspace: str
) -> None:
    from datetime import datetime

    from sqlalchemy import select

    from parallax.cli.enrich_cmd import enrich
    from parallax.ingest.record import InteractionIn
    from parallax.store.interactions import insert_interactions
    from parallax.store.models import Enrichment

    texts = ["where is my order, the parcel still has not arrived", "you sent me the wrong size again"]
    with session_factory() as session:
        for ws in (workspace, "other"):
            rows = [
                InteractionIn(
                    source="t", external_id=str(i), channel="email", kind="message",
                    occurred_at=datetime(2026, 1, 1), text=text,
                ).model_dump()
                for i, text in enumerate(texts)
            ]  # fmt: skip
            insert_interactions(session, ws, rows)
        save_choice(session, workspace, {"yaml": SHOP}, "analyst@acme.test")
        session.commit()
    for ws in (workspace, "other"):
        enrich(workspace=ws, tier="baseline", database_url=db_url)
    with session_factory() as session:
        rows = session.execute(select(Enrichment.workspace_id, Enrichment.category)).all()
    mine = sorted(c for ws, c in rows if ws == workspace)
    assert mine == ["late_parcel", "wrong_item"]
    assert not {c for ws, c in rows if ws == "other"} & {"late_parcel", "wrong_item"}
