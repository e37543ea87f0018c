"""Plain, frozen views of stored rows: the identity room's pure logic works on these, never on ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parallax.identity.normalise import AuthorFields, Ident, identifiers_of

# The consumer-side signals that say a problem goes on, and the score at which a signal is read as present
# (the enrichment lexicon's own decision threshold, parallax.enrich.signals.step.LEXICON_THRESHOLD).
COMPLAINT_SIGNALS = ("friction", "not_helped", "repeated_effort", "inconsistency", "uncertainty")
SIGNAL_THRESHOLD = 0.5


@dataclass(frozen=True)
class InteractionView:
    """What identity and threading need of one interaction."""

    id: int
    channel: str
    kind: str
    occurred_at: datetime
    direction: str = "inbound"
    author_handle: str | None = None
    author_email: str | None = None
    author_phone: str | None = None
    author_name: str | None = None
    loyalty_id: str | None = None
    booking_ref: str | None = None
    text: str | None = None
    ticket_id: str | None = None
    status: str | None = None
    closed_at: datetime | None = None
    in_reply_to: str | None = None
    external_id: str = ""
    source: str = ""
    customer_id: int | None = None
    score_type: str | None = None
    score_value: float | None = None
    segments: dict[str, Any] = field(default_factory=dict)

    @property
    def inbound(self) -> bool:
        return self.direction == "inbound"

    def author(self) -> AuthorFields:
        platform = self.segments.get("platform") if self.channel in ("review", "app_store") else None
        return AuthorFields(
            channel=self.channel,
            email=self.author_email,
            phone=self.author_phone,
            handle=self.author_handle,
            loyalty_id=self.loyalty_id,
            booking_ref=self.booking_ref,
            platform=str(platform) if platform else None,
        )

    def identifiers(self, default_region: str = "US") -> tuple[Ident, ...]:
        """Deterministic identifiers of the author; outbound rows are the brand speaking, so none."""
        return identifiers_of(self.author(), default_region) if self.inbound else ()


@dataclass(frozen=True)
class Reading:
    """What enrichment read in one text: its category, sentiment label and consumer-side signals."""

    category: str | None = None
    sentiment: str | None = None
    signals: Mapping[str, float] = field(default_factory=dict)

    def complains(self) -> bool:
        """Negative, or a signal that the problem goes on (friction, not helped, asked again, ...)."""
        signals = self.signals
        return self.sentiment == "negative" or any(
            signals.get(name, 0.0) >= SIGNAL_THRESHOLD for name in COMPLAINT_SIGNALS
        )

    def thanks(self) -> bool:
        """Read as being helped, with no complaint in it."""
        return self.signals.get("helped", 0.0) >= SIGNAL_THRESHOLD and not self.complains()
