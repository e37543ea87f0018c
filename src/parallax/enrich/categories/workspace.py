"""A workspace's complaint taxonomy: a built-in domain pack, or the workspace's own YAML (few-shot).

Stored as the ``taxonomy`` setting in ``workspace_setting``; ``parallax enrich`` builds the categories step
from it. The taxonomy is part of the pipeline version, so changing it re-enriches what the new version has
not seen, and switching back finds the old rows current again.

Example:
    >>> parse_choice({"pack": "telecom"}).key
    'telecom'
    >>> custom = "name: shop\\ncategories:\\n  - id: late\\n    description: the parcel is late\\n"
    >>> parse_choice({"yaml": custom}).key.startswith("custom-")
    True
    >>> parse_choice({"pack": "travel"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    parallax.kit.errors.ValidationFailed: taxonomy: unknown pack 'travel'; one of airline, banking, ...
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from parallax.enrich.categories.step import CHANNEL_PACKS, DEFAULT_PACK, CategoriesStep, ChannelRouted
from parallax.enrich.categories.supervised import shipped_head
from parallax.enrich.categories.taxonomy import BUILTIN_PACKS, Taxonomy, load_taxonomy, parse_taxonomy
from parallax.kit.errors import ValidationFailed
from parallax.store.settings import get_setting, put_setting

SETTING = "taxonomy"
MAX_YAML = 200_000  # characters: a taxonomy is a page of categories, not a data set


@dataclass(frozen=True)
class TaxonomyChoice:
    """Either a built-in ``pack`` or the text of a custom taxonomy (``yaml``)."""

    pack: str | None = DEFAULT_PACK
    yaml: str | None = None

    @property
    def key(self) -> str:
        if self.yaml is not None:
            return "custom-" + hashlib.sha1(self.yaml.encode()).hexdigest()[:10]
        return str(self.pack)

    def load(self) -> Taxonomy:
        if self.yaml is not None:
            return parse_taxonomy(self.yaml, source="the workspace's taxonomy")
        return load_taxonomy(str(self.pack))

    def as_value(self) -> dict[str, Any]:
        return {"yaml": self.yaml} if self.yaml is not None else {"pack": self.pack}


DEFAULT_CHOICE = TaxonomyChoice()


def parse_choice(value: dict[str, Any]) -> TaxonomyChoice:
    """Validate a stored or submitted choice; a custom taxonomy is parsed in full (every problem listed)."""
    text = value.get("yaml")
    if text is not None and str(text).strip():
        text = str(text).replace("\r\n", "\n")
        if len(text) > MAX_YAML:
            raise ValidationFailed(f"taxonomy: at most {MAX_YAML:,} characters")
        choice = TaxonomyChoice(pack=None, yaml=text)
        choice.load()
        return choice
    pack = str(value.get("pack") or DEFAULT_PACK)
    if pack not in BUILTIN_PACKS:
        raise ValidationFailed(f"taxonomy: unknown pack {pack!r}; one of {', '.join(BUILTIN_PACKS)}")
    return TaxonomyChoice(pack=pack)


def load_choice(session: Session, workspace_id: str) -> TaxonomyChoice:
    value = get_setting(session, workspace_id, SETTING)
    return DEFAULT_CHOICE if value is None else parse_choice(value)


def save_choice(session: Session, workspace_id: str, value: dict[str, Any], actor: str) -> TaxonomyChoice:
    """Validate and store; returns the choice now in force. Does not commit."""
    choice = parse_choice(value)
    put_setting(session, workspace_id, SETTING, choice.as_value(), actor)
    return choice


def categories_step(tier: str, choice: TaxonomyChoice) -> ChannelRouted:
    """The categories step for ``choice``: built-in packs keep their trained head; a custom taxonomy is
    few-shot (its descriptions and examples). CFPB complaints still go to the banking pack."""
    return _step(tier, choice)


@cache  # a frozen choice is its own cache key: each taxonomy's step (and model) loads once per process
def _step(tier: str, choice: TaxonomyChoice) -> ChannelRouted:
    def build(taxonomy: Taxonomy, pack: str | None) -> CategoriesStep:
        head = None if tier == "baseline" or pack is None else shipped_head(pack)
        return CategoriesStep(taxonomy, head)

    routed = {channel: build(load_taxonomy(name), name) for channel, name in CHANNEL_PACKS.items()}
    default = build(choice.load(), choice.pack)
    if choice.yaml is not None:
        # Two edits of a custom taxonomy may share its name: the content hash keeps their versions apart.
        default.version = f"{choice.key}-fewshot-1"
    return ChannelRouted(default, routed)
