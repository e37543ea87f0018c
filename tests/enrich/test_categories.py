"""Complaint categories: taxonomy YAML and its validation, few-shot for a custom taxonomy, the other bucket,
a supervised head, and the pipeline step."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.enrich.categories.fewshot import PrototypeClassifier
from parallax.enrich.categories.step import CategoriesStep
from parallax.enrich.categories.supervised import CategoryHead, train_head
from parallax.enrich.categories.taxonomy import BUILTIN_PACKS, OTHER, load_taxonomy, parse_taxonomy
from parallax.enrich.pipeline import Enriched
from parallax.kit.errors import ValidationFailed

CUSTOM = """
name: coffee-shop
categories:
  - id: cold_drink
    description: The coffee or tea was served cold or lukewarm.
    examples: ["my latte was cold", "lukewarm coffee again", "the tea was not hot"]
  - id: wrong_order
    label: Wrong order
    description: The barista made the wrong drink or forgot part of the order.
    examples: ["I ordered oat milk and got dairy", "they gave me the wrong drink", "missing my muffin"]
  - id: wifi
    description: The shop's wifi does not work or is too slow to use.
    examples: ["wifi keeps disconnecting", "no internet in the cafe", "the wifi password doesn't work"]
"""


@pytest.mark.parametrize("pack", BUILTIN_PACKS)
def test_builtin_packs_load(pack: str) -> None:
    taxonomy = load_taxonomy(pack)
    assert len(taxonomy.categories) >= 7
    assert all(category.description and len(category.examples) >= 3 for category in taxonomy.categories)


def test_airline_and_banking_packs_map_public_labels() -> None:
    airline = load_taxonomy("airline").label_map()
    assert airline["Lost Luggage"] == "baggage_lost" and airline["longlines"] == "airport_queues"
    assert "Can't Tell" not in airline
    banking = load_taxonomy("banking").label_map()
    assert banking["Attempts to collect debt not owed"] == "debt_collection"
    ids = set(load_taxonomy("airline").ids())
    assert {"delays", "cancellations", "refunds", "seating", "fees", "app_website"} <= ids


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncategories: []", "'categories' must be a non-empty list"),
        ("categories:\n  - id: a_b\n    description: d", "'name' must be a non-empty string"),
        ("name: x\ncategories:\n  - id: Bad-Id\n    description: d", "lower_snake_case"),
        ("name: x\ncategories:\n  - id: ab\n", "'description' must be a non-empty string"),
        ("name: x\ncategories:\n  - id: other\n    description: d", "reserved"),
        ("name: x\ncategories:\n  - {id: ab, description: d}\n  - {id: ab, description: e}", "duplicate"),
        ("name: x\ncategories:\n  - {id: ab, description: d, examples: [1, 2]}", "'examples' must be"),
        ("name: [unclosed", "not valid YAML"),
        ("- just\n- a list", "expected a mapping"),
    ],
)
def test_invalid_taxonomies_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_taxonomy(text)


def test_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="neither a built-in pack"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_custom_taxonomy_from_file_few_shot(tmp_path: Path) -> None:
    path = tmp_path / "coffee.yaml"
    path.write_text(CUSTOM)
    taxonomy = load_taxonomy(path)
    assert taxonomy.categories[0].label == "Cold drink"  # defaulted from the id
    model = PrototypeClassifier(taxonomy)
    results = model.classify(
        [
            "my cappuccino was stone cold",
            "the internet connection in your cafe is useless",
            "wrong drink again",
        ]
    )
    assert [scored[0][0] for scored in results] == ["cold_drink", "wifi", "wrong_order"]
    assert all(0.0 < confidence <= 1.0 for scored in results for _, confidence in scored)


def test_other_bucket_for_unrelated_text() -> None:
    step = CategoriesStep(parse_taxonomy(CUSTOM))
    items = [Enriched(1, "my latte was cold"), Enriched(2, "The quarterly tax filing deadline is in April")]
    step.apply(items)
    assert items[0].category == "cold_drink"
    assert items[1].category == OTHER
    assert items[0].categories[0][0] == "cold_drink"


def test_supervised_head_round_trip_and_merge(tmp_path: Path) -> None:
    taxonomy = load_taxonomy("airline")
    texts = ["flight delayed three hours", "late departure again", "lost my bag", "where is my luggage"] * 3
    labels = ["delays", "delays", "baggage_lost", "baggage_lost"] * 3
    head = train_head(texts, labels, c=10.0)
    head.save(tmp_path / "head.npz")
    loaded = CategoryHead.load(tmp_path / "head.npz")
    assert loaded.labels == ("baggage_lost", "delays")
    assert loaded.predict(["flight delayed hours", "lost my luggage"]) == ["delays", "baggage_lost"]
    with_prototypes = train_head(texts, labels, c=10.0, fewshot=PrototypeClassifier(taxonomy))
    with_prototypes.save(tmp_path / "proto.npz")
    reloaded = CategoryHead.load(tmp_path / "proto.npz")
    assert reloaded.prototypes.shape == (len(taxonomy.categories), 256)
    assert reloaded.predict(["flight delayed hours", "lost my luggage"]) == ["delays", "baggage_lost"]
    step = CategoriesStep(taxonomy, reloaded)
    item = Enriched(1, "you charged me a bag fee and the refund never came")
    step.apply([item])
    labels_found = [label for label, _ in item.categories]
    assert set(labels_found) & {"fees", "refunds", "delays", "baggage_lost"}
    assert item.categories == sorted(item.categories, key=lambda pair: -pair[1])
    assert step.version.startswith("airline-head-")


def test_default_step_routes_cfpb_complaints_to_the_banking_pack() -> None:
    from parallax.enrich.categories.step import make_step

    step = make_step("baseline")
    tweet = Enriched(1, "my flight was cancelled and I need a hotel", channel="twitter")
    complaint = Enriched(2, "a debt collector keeps calling about a debt I do not owe", channel="cfpb")
    step.apply([tweet, complaint])
    assert tweet.category == "cancellations"
    assert complaint.category == "debt_collection"
    assert step.version.startswith("airline-fewshot-1+cfpb:banking-fewshot-1")
