from __future__ import annotations

from datetime import datetime

from identity_factories import insert, interaction
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.identity import repository as repo
from parallax.identity.merges import merge, unmerge
from parallax.identity.resolve import link_unattached, resolve_ids
from parallax.store.models import Customer, Identifier, IdentityEvent, Interaction

NOW = datetime(2026, 3, 2)


def _owner(session: Session, interaction_id: int) -> int | None:
    return session.get(Interaction, interaction_id).customer_id  # type: ignore[union-attr]


def test_shared_identifiers_link_across_channels(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        a, b, c, d = insert(
            session,
            workspace,
            interaction("1", channel="email", author_email="Ann.Lee@gmail.com"),
            interaction(
                "2", 1, channel="chat", author_email="annlee@gmail.com", author_phone="(415) 555-2671"
            ),
            interaction("3", 2, channel="whatsapp", author_phone="+1 415 555 2671"),
            interaction("4", 3, channel="twitter", kind="post", author_handle="@someone_else"),
        )
        outcome = resolve_ids(session, workspace, [a, b, c, d], NOW, probabilistic=False)
        session.commit()
        assert [r.how for r in outcome] == ["new", "identifier", "identifier", "new"]
        assert _owner(session, a) == _owner(session, b) == _owner(session, c) != _owner(session, d)
        rows = session.scalars(select(Identifier).where(Identifier.workspace_id == workspace)).all()
        assert sorted(r.kind for r in rows) == ["email", "handle", "phone"]
        # Only hashes and redacted displays are stored.
        assert all("annlee" not in r.display and "@gmail.com" not in r.display for r in rows)


def test_identifier_bridging_two_customers_merges_them_and_unmerge_restores(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        a, b = insert(
            session,
            workspace,
            interaction("1", channel="email", author_email="ann@x.org"),
            interaction("2", 1, channel="twitter", kind="post", author_handle="annx"),
        )
        link_unattached(session, workspace, NOW)
        first, second = _owner(session, a), _owner(session, b)
        assert first != second
        (bridge,) = insert(
            session,
            workspace,
            interaction("3", 2, channel="chat", author_email="ann@x.org", author_handle="x"),
        )
        insert(
            session,
            workspace,
            interaction("3b", 2, channel="twitter", author_handle="annx", author_email="ann@x.org"),
        )
        outcome = link_unattached(session, workspace, NOW)
        assert any(r.merged for r in outcome)
        assert _owner(session, a) == _owner(session, b) == first
        assert session.get(Customer, second).merged_into_id == first  # type: ignore[union-attr]
        event = session.scalars(select(IdentityEvent).where(IdentityEvent.action == "merge")).one()
        assert event.actor == "system:identity" and event.detail["source"] == second
        unmerge(session, workspace, second, actor="agent:kim", reason="two different Anns", now=NOW)
        assert _owner(session, b) == second and _owner(session, a) == first
        assert session.get(Customer, second).merged_into_id is None  # type: ignore[union-attr]
        assert event.undone_at == NOW
        assert bridge is not None


def test_manual_merge_and_unmerge_keep_later_arrivals(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        a, b = insert(
            session,
            workspace,
            interaction("1", author_email="ann@x.org"),
            interaction("2", 1, author_email="bob@y.org"),
        )
        link_unattached(session, workspace, NOW)
        ann, bob = _owner(session, a), _owner(session, b)
        assert ann is not None and bob is not None
        merge(session, workspace, bob, ann, actor="agent:kim", reason="same person", now=NOW)
        (late,) = insert(session, workspace, interaction("3", 2, author_email="bob@y.org"))
        link_unattached(session, workspace, NOW)
        assert _owner(session, late) == ann
        unmerge(session, workspace, bob, actor="agent:kim", reason="wrong", now=NOW)
        assert (_owner(session, a), _owner(session, b), _owner(session, late)) == (ann, bob, bob)
        # A person split them: an interaction carrying both identifiers no longer joins them.
        insert(session, workspace, interaction("4", 3, author_email="ann@x.org", author_phone="+14155552671"))
        insert(session, workspace, interaction("5", 4, author_email="bob@y.org", author_phone="+14155552671"))
        link_unattached(session, workspace, NOW)
        assert session.get(Customer, bob).merged_into_id is None  # type: ignore[union-attr]


def test_outbound_notes_follow_their_ticket(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        a, note = insert(
            session,
            workspace,
            interaction("1", channel="ticket", kind="ticket", author_email="ann@x.org", ticket_id="T1"),
            interaction("2", 1, channel="ticket", kind="agent_note", direction="outbound", ticket_id="T1"),
        )
        outcome = link_unattached(session, workspace, NOW)
        assert _owner(session, note) == _owner(session, a) is not None
        assert {r.how for r in outcome} == {"new", "outbound"}


def test_workspaces_never_share_customers(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        (a,) = insert(session, workspace, interaction("1", author_email="ann@x.org"))
        (b,) = insert(session, "other", interaction("1", author_email="ann@x.org"))
        link_unattached(session, workspace, NOW)
        link_unattached(session, "other", NOW)
        assert _owner(session, a) != _owner(session, b)
        assert len(repo.active_customers(session, workspace)) == 1
        assert len(repo.active_customers(session, "other")) == 1


def test_a_post_naming_a_ticket_attaches_to_the_tickets_customer(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    import pytest

    pytest.importorskip("splink")
    with session_factory() as session:
        ticket, other, post = insert(
            session,
            workspace,
            interaction(
                "1",
                channel="email",
                author_email="aidan.silva@example.org",
                author_name="Aidan Silva",
                ticket_id="T000474",
            ),
            interaction(
                "2",
                1,
                channel="email",
                author_email="aidan.byrne@example.org",
                author_name="Aidan Byrne",
                ticket_id="T000101",
            ),
            interaction(
                "3",
                30,
                channel="instagram",
                kind="post",
                author_handle="the.jetsetter.aidan",
                text="They closed T000474 and told me something different. Unbelievable.",
            ),
        )
        # Found only through the ticket it names (the post gives no name to search by).
        first = resolve_ids(session, workspace, [ticket, other], NOW)
        (attached,) = resolve_ids(session, workspace, [post], NOW)
        session.commit()
        assert attached.how == "probabilistic"
        assert attached.customer_id == first[0].customer_id != first[1].customer_id
