"""Replies leave through the channel the customer used, via one small adapter interface.

Adapters are chosen per channel by an ``Outbound`` registry; ``FakeAdapter`` records what it would send
(tests, demos). Real adapters (SMTP email, signed webhooks, social bridges) live in ``adapters.py``.

    >>> fake = FakeAdapter()
    >>> outbound = Outbound({"email": fake})
    >>> receipt = outbound.send(OutboundMessage("email", "ann@example.com", "We are on it", case_id=7))
    >>> receipt.status, fake.sent[0].recipient
    ('sent', 'ann@example.com')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from parallax.kit.errors import ValidationFailed


@dataclass(frozen=True)
class OutboundMessage:
    channel: str
    recipient: str  # an email address, a handle, or a conversation id
    body: str
    case_id: int
    subject: str = ""
    in_reply_to: str | None = None  # the external id of the message answered, for threading


@dataclass(frozen=True)
class Receipt:
    adapter: str
    status: str  # sent | failed
    reference: str = ""
    error: str = ""


@runtime_checkable
class OutboundAdapter(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, message: OutboundMessage) -> Receipt: ...


@dataclass
class FakeAdapter:
    """Records messages instead of sending them; ``fail`` makes it report a failed delivery."""

    name: str = "fake"
    fail: bool = False
    sent: list[OutboundMessage] = field(default_factory=list)

    def send(self, message: OutboundMessage) -> Receipt:
        if self.fail:
            return Receipt(self.name, "failed", error="fake adapter told to fail")
        self.sent.append(message)
        return Receipt(self.name, "sent", reference=f"fake-{len(self.sent)}")


class Outbound:
    """Channel → adapter; ``"*"`` is the fallback for channels without their own adapter."""

    def __init__(self, adapters: Mapping[str, OutboundAdapter]) -> None:
        self._adapters = dict(adapters)

    def adapter_for(self, channel: str) -> OutboundAdapter:
        adapter = self._adapters.get(channel) or self._adapters.get("*")
        if adapter is None:
            raise ValidationFailed(f"no outbound adapter is configured for channel {channel!r}")
        return adapter

    def channels(self) -> list[str]:
        return sorted(self._adapters)

    def send(self, message: OutboundMessage) -> Receipt:
        """Send through the channel's adapter; a transport error becomes a failed receipt, never a crash."""
        adapter = self.adapter_for(message.channel)
        try:
            return adapter.send(message)
        except Exception as exc:  # third-party transports raise anything; the case records the failure
            return Receipt(adapter.name, "failed", error=f"{type(exc).__name__}: {exc}"[:300])
