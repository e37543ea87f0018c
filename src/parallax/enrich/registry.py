"""Which steps make up a pipeline, in which order, for each tier.

Each stage names a factory ``"module:function"``; the function takes the tier (``"fast"``, ``"accurate"`` or
``"baseline"``) and returns a Step, or None when the stage has nothing to do at that tier. Modules are
imported only when a pipeline is built, so a stage's heavy dependencies load only if it is used, and steps
are cached: a model loads once per process.

Adding a stage is one line in ``STAGES``.

Example:
    >>> names = [step.name for step in default_pipeline("baseline").steps]
    >>> names[0], "sentiment" in names
    ('language', True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Literal, cast

from parallax.enrich.pipeline import Pipeline, Step

if TYPE_CHECKING:
    from parallax.enrich.categories.workspace import TaxonomyChoice

Tier = Literal["fast", "accurate", "baseline"]
TIERS: tuple[Tier, ...] = ("fast", "accurate", "baseline")

# Order matters: redaction runs before the models so nothing downstream keeps personal data;
# sentiment and emotion run before signals and categories, which may read them.
STAGES: list[tuple[str, str]] = [
    ("language", "parallax.enrich.steps.language:make_step"),
    ("sentiment", "parallax.enrich.sentiment.factory:make_step"),
    ("emotion", "parallax.enrich.emotion:make_step"),
    ("signals", "parallax.enrich.signals.step:make_step"),
    ("categories", "parallax.enrich.categories.step:make_step"),
    ("entities", "parallax.enrich.entities:make_step"),
]

_PREFERRED_ORDER = ("language", "pii", "sentiment", "emotion", "signals", "categories", "entities")


def ordered_stages() -> list[tuple[str, str]]:
    """STAGES in the canonical order (unknown stages keep their place after the known ones)."""
    rank = {name: i for i, name in enumerate(_PREFERRED_ORDER)}
    return sorted(STAGES, key=lambda stage: rank.get(stage[0], len(rank)))


def default_pipeline(
    tier: str = "fast", skip: tuple[str, ...] = (), taxonomy: TaxonomyChoice | None = None
) -> Pipeline:
    """The pipeline for ``tier``: every registered stage that has a step at that tier; ``taxonomy`` (a
    workspace's choice) replaces the default complaint taxonomy of the categories stage."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
    steps = [
        step
        for name, target in ordered_stages()
        if name not in skip and (step := _stage_step(name, target, tier, taxonomy)) is not None
    ]
    return Pipeline(steps)


def _stage_step(name: str, target: str, tier: str, taxonomy: TaxonomyChoice | None) -> Step | None:
    if name == "categories" and taxonomy is not None:
        from parallax.enrich.categories.workspace import DEFAULT_CHOICE, categories_step

        if taxonomy != DEFAULT_CHOICE:
            return categories_step(tier, taxonomy)
    return build_step(target, tier)


@cache
def build_step(target: str, tier: str) -> Step | None:
    """Import ``module:function`` and call it with the tier; cached so each model loads once."""
    module_name, _, attribute = target.partition(":")
    factory = cast(Callable[[str], Step | None], getattr(importlib.import_module(module_name), attribute))
    return factory(tier)
