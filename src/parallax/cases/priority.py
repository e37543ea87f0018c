"""A suggested priority from what is known about the customer and the message. Pure.

>>> suggest_priority(PrioritySignals(loyalty_tier="gold", sentiment=-0.7, public=True))
'urgent'
>>> suggest_priority(PrioritySignals())
'normal'
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.cases.sla import PRIORITIES

HIGH_TIERS = frozenset({"gold", "platinum", "diamond", "vip"})
PUBLIC_CHANNELS = frozenset({"twitter", "x", "facebook", "instagram", "review", "forum", "tiktok", "social"})


@dataclass(frozen=True)
class PrioritySignals:
    loyalty_tier: str | None = None
    sentiment: float | None = None  # in [-1, 1]
    repeat_contacts: int = 0
    public: bool = False


def suggest_priority(signals: PrioritySignals) -> str:
    """Start at normal; a valued customer, strong negativity, repeated effort, a public voice: a step each."""
    level = PRIORITIES.index("normal")
    if (signals.loyalty_tier or "").lower() in HIGH_TIERS:
        level += 1
    if signals.sentiment is not None and signals.sentiment <= -0.5:
        level += 1
    if signals.repeat_contacts >= 2:
        level += 1
    if signals.public:
        level += 1
    return PRIORITIES[min(level, len(PRIORITIES) - 1)]


def is_public(channel: str | None) -> bool:
    return (channel or "").lower() in PUBLIC_CHANNELS
