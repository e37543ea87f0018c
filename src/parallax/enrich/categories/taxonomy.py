"""Complaint taxonomies as YAML: built-in domain packs (airline, banking, telecom, e-commerce) or your own.

A taxonomy names categories, each with a description and a handful of example phrases (which is all the
few-shot classifier needs) and, optionally, the labels of a public data set that mean the category
(``maps_from``, which the supervised heads train on). Loading validates everything and says what is wrong.

Example:
    >>> taxonomy = load_taxonomy("airline")
    >>> taxonomy.name, taxonomy.ids()[:3]
    ('airline', ['delays', 'cancellations', 'baggage_lost'])
    >>> taxonomy.label_map()["Late Flight"]
    'delays'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parallax.kit.errors import ValidationFailed

BUILTIN_PACKS = ("airline", "banking", "telecom", "ecommerce")
OTHER = "other"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


@dataclass(frozen=True)
class Category:
    """One complaint category: a stable id, a display label, a description and example phrases."""

    id: str
    label: str
    description: str
    examples: tuple[str, ...]
    maps_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A named, ordered set of categories; ``other`` is implicit and never declared."""

    name: str
    description: str
    categories: tuple[Category, ...]

    def ids(self) -> list[str]:
        return [category.id for category in self.categories]

    def label_map(self) -> dict[str, str]:
        """Data-set label -> category id, from every category's ``maps_from``."""
        return {source: category.id for category in self.categories for source in category.maps_from}


def load_taxonomy(name_or_path: str | Path) -> Taxonomy:
    """A built-in pack by name, or a YAML file by path; raises ``ValidationFailed`` listing every problem."""
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_PACKS:
        text = resources.files("parallax.enrich").joinpath("taxonomy", f"{name_or_path}.yaml").read_text()
        return parse_taxonomy(text, source=f"built-in pack {name_or_path}")
    path = Path(name_or_path)
    if not path.is_file():
        raise ValidationFailed(
            f"taxonomy {name_or_path!r} is neither a built-in pack ({', '.join(BUILTIN_PACKS)}) nor a file"
        )
    return parse_taxonomy(path.read_text(encoding="utf-8"), source=str(path))


def parse_taxonomy(text: str, source: str = "taxonomy") -> Taxonomy:
    """Parse and validate taxonomy YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ValidationFailed(f"{source}: expected a mapping with 'name' and 'categories'")
    problems: list[str] = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("'name' must be a non-empty string")
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        problems.append("'categories' must be a non-empty list")
        raw_categories = []
    categories = [_category(raw, i, problems) for i, raw in enumerate(raw_categories)]
    ids = [category.id for category in categories if category is not None]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate category ids: {', '.join(duplicates)}")
    if problems:
        raise ValidationFailed(f"{source}: " + "; ".join(problems))
    return Taxonomy(
        name=str(name),
        description=str(data.get("description", "")),
        categories=tuple(category for category in categories if category is not None),
    )


def _category(raw: Any, index: int, problems: list[str]) -> Category | None:
    """One validated category, or None after recording why it is invalid."""
    where = f"categories[{index}]"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a mapping")
        return None
    category_id = raw.get("id")
    if not isinstance(category_id, str) or not _ID_RE.match(category_id):
        problems.append(f"{where}.id must be lower_snake_case (2-60 characters), got {category_id!r}")
        return None
    if category_id == OTHER:
        problems.append(f"{where}.id '{OTHER}' is reserved for the bucket of unconfident messages")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(f"{category_id}: 'description' must be a non-empty string")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        problems.append(f"{category_id}: 'examples' must be a list of non-empty strings")
        examples = []
    maps_from = raw.get("maps_from", [])
    if not isinstance(maps_from, list) or not all(isinstance(m, str) for m in maps_from):
        problems.append(f"{category_id}: 'maps_from' must be a list of strings")
        maps_from = []
    return Category(
        id=category_id,
        label=str(raw.get("label") or category_id.replace("_", " ").capitalize()),
        description=str(description or ""),
        examples=tuple(examples),
        maps_from=tuple(maps_from),
    )
