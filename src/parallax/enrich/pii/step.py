"""The enrichment pipeline's step: fills ``redacted_text`` under the redaction policy."""

from __future__ import annotations

from parallax.enrich.pii import ner
from parallax.enrich.pii.policy import POLICY, Audience, show
from parallax.enrich.pipeline import Enriched


class PiiStep:
    """Pipeline step: fills ``redacted_text`` so that nothing downstream shows raw personal data."""

    name = "pii"

    def __init__(self, booking_refs: bool = True, region: str = "US") -> None:
        self.booking_refs = booking_refs  # kept for old callers; the policy masks booking refs
        self.region = region
        # The output depends on the policy and on whether the named-entity model is installed.
        self.version = f"{POLICY.version}{'+ner' if ner.available() else ''}"

    def apply(self, batch: list[Enriched]) -> None:
        for item in batch:
            item.redacted_text = show(item.text, Audience.REDACTED, self.region)


def make_step(tier: str) -> PiiStep:
    """Registry factory: redaction is the same at every tier."""
    return PiiStep()
