"""What a spike is about names what its complainants share, never one person's identifiers."""

from __future__ import annotations

from datetime import datetime, timedelta

from parallax.alerts.context import summarise
from parallax.alerts.events import SignalEvent


def _complaint(i: int) -> SignalEvent:
    entities = {
        "booking_ref_hash": [f"{i:064x}"],  # one per customer, in every message
        "email_hash": [f"{i + 1000:064x}"],
        "handle": ["@parallaxair"],
        "order_number": [f"A{i}"],
        "route": ["LHR-CDG"] if i % 2 else ["LHR-AMS"],
        "airport": ["LHR"],
    }
    if i % 3 == 0:
        entities["flight_number"] = ["PX200"]
    return SignalEvent(
        "acme", "t", str(i), datetime(2026, 3, 5, 7) + timedelta(minutes=i), "email", "negative",
        "cancellations", {}, entities, "cancelled again",
    )  # fmt: skip


def test_spike_entities_are_what_complainants_share() -> None:
    context = summarise([_complaint(i) for i in range(12)])
    labels = [label for label, _ in context.top_entities]
    assert labels == ["airport:LHR", "route:LHR-AMS", "route:LHR-CDG", "flight_number:PX200"]
    assert dict(context.top_entities)["airport:LHR"] == 12
