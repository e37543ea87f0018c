from __future__ import annotations

from datetime import datetime, timedelta

from parallax.identity.simeval import channel_identity, journey_figures, pairwise
from parallax.identity.views import InteractionView

T = datetime(2026, 3, 2)


def test_pairwise_counts_pairs_from_cluster_sizes() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    assert pairwise({"a": "x", "b": "x", "c": "y", "d": "z"}, truth).recall == round(1 / 3, 4)
    perfect = pairwise({"a": "x", "b": "x", "c": "x", "d": "z"}, truth)
    assert (perfect.precision, perfect.recall, perfect.true_pairs) == (1.0, 1.0, 3)
    lumped = pairwise({k: "x" for k in truth}, truth)
    assert (lumped.precision, lumped.predicted_pairs) == (0.5, 6)


def test_linking_reveals_repeat_effort_the_channels_hide() -> None:
    ticket = InteractionView(
        1,
        "email",
        "ticket",
        T,
        author_email="ann@x.org",
        ticket_id="T1",
        status="solved",
        closed_at=T + timedelta(hours=2),
        external_id="T1",
        customer_id=7,
    )
    note = InteractionView(
        2,
        "ticket",
        "agent_note",
        T + timedelta(hours=1),
        direction="outbound",
        ticket_id="T1",
        external_id="N1",
        customer_id=7,
    )
    tweet = InteractionView(
        3, "twitter", "post", T + timedelta(hours=5), author_handle="@ann", external_id="tw1", customer_id=7
    )
    keys = channel_identity([ticket, note, tweet])
    assert keys[1] == keys[2] != keys[3]
    figures = journey_figures([ticket, note, tweet], {"T1": "C1", "tw1": "C1"})
    assert (figures["unlinked"].repeat_contacts, figures["unlinked"].closed_not_resolved) == (0, 0)
    assert (figures["linked"].repeat_contacts, figures["linked"].closed_not_resolved) == (1, 1)
    assert figures["truth"] == figures["linked"]
