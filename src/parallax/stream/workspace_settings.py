"""The workspace settings the stream reads at every checkpoint besides alert rules: complaint taxonomies.

The enrichment package is imported only when a taxonomy is read (its categories module loads the embedding
stack), so importing the worker stays cheap.

Example:
    >>> choice_of({"pack": "telecom"}).key
    'telecom'
    >>> choice_of({"pack": "no-such-pack"}) is None
    True
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from parallax.store.settings import settings_named

if TYPE_CHECKING:
    from parallax.enrich.categories.workspace import TaxonomyChoice

TAXONOMY_SETTING = "taxonomy"  # parallax.enrich.categories.workspace.SETTING (checked by a test)


def edited_taxonomies(session: Session) -> dict[str, TaxonomyChoice]:
    """Every workspace that chose a taxonomy, with its choice (one small query: the stream polls this)."""
    out = {}
    for workspace_id, value in settings_named(session, TAXONOMY_SETTING).items():
        choice = choice_of(value)
        if choice is not None:
            out[workspace_id] = choice
    return out


def choice_of(value: dict[str, Any]) -> TaxonomyChoice | None:
    """The stored choice, or None where it no longer parses (the workspace keeps the built-in taxonomy)."""
    return _parsed(json.dumps(value, sort_keys=True))


@lru_cache(maxsize=256)  # a custom taxonomy is parsed in full: once per distinct value, not every 5 s
def _parsed(value: str) -> TaxonomyChoice | None:
    from parallax.enrich.categories.workspace import parse_choice
    from parallax.kit.errors import ValidationFailed

    try:
        return parse_choice(json.loads(value))
    except ValidationFailed:
        return None
