"""Bounds on what one request or one text can cost: one careless or hostile caller must not stall the rest.

- ``MAX_TEXT_CHARS``: the longest text an interaction may carry (a row with a longer one is rejected at
  ingest with a per-row error; the rest of its batch goes on). 100,000 characters is a long complaint
  letter forty times over.
- ``SCORED_TEXT_CHARS``: enrichment (sentiment, categories, entities, redaction of the scored copy) reads
  at most this many characters of a text; the store keeps the whole text. 20,000 characters hold every
  review in the shared data sets whole.
- ``MAX_BODY_BYTES``: the largest HTTP request body the API reads (413 past it): a full batch of 1,000
  interactions of ordinary length is a few MB.
"""

from __future__ import annotations

MAX_TEXT_CHARS = 100_000
SCORED_TEXT_CHARS = 20_000
MAX_BODY_BYTES = 32 * 1024 * 1024


def scored_text(text: str) -> str:
    """The part of ``text`` that enrichment reads.

    >>> len(scored_text("x" * 50_000)), scored_text("late again")
    (20000, 'late again')
    """
    return text if len(text) <= SCORED_TEXT_CHARS else text[:SCORED_TEXT_CHARS]
