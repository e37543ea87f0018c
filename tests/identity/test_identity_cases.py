from __future__ import annotations

from datetime import datetime, timedelta

from identity_factories import T0, insert, interaction
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.identity import repository as repo
from parallax.identity.cases_sync import sync_cases
from parallax.identity.profile import build_profile
from parallax.identity.resolve import link_unattached
from parallax.store.models import Case, CaseEvent, Enrichment

NOW = datetime(2026, 3, 9)


def _seed(session: Session, workspace: str) -> list[int]:
    ids = insert(
        session,
        workspace,
        interaction(
            "t1",
            channel="email",
            kind="ticket",
            author_email="ann@x.org",
            author_name="Ann Lee",
            ticket_id="T1",
            status="solved",
            closed_at=T0 + timedelta(hours=4),
            segments={"queue": "refunds", "agent": "lee", "loyalty_tier": "gold"},
        ),
        interaction("n1", 1, channel="ticket", kind="agent_note", direction="outbound", ticket_id="T1"),
        interaction("c1", 30, channel="twitter", author_email="ann@x.org", author_handle="@annlee"),
        interaction(
            "p1", 40, channel="twitter", kind="post", author_handle="@annlee", text="call me +14155552671"
        ),
    )
    session.add(
        Enrichment(
            workspace_id=workspace,
            interaction_id=ids[3],
            version="v",
            current=True,
            sentiment_score=-0.8,
            category="refund",
            redacted_text="call me [PHONE]",
        )
    )
    session.flush()
    return ids


def test_journey_becomes_one_case_and_rerun_is_idempotent(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        ids = _seed(session, workspace)
        link_unattached(session, workspace, NOW)
        report = sync_cases(session, workspace)
        assert (report.journeys, report.cases_created, report.closed_not_resolved) == (1, 1, 1)
        case = session.scalars(select(Case)).one()
        assert case.status == "new" and case.queue == "refunds" and case.assignee == "lee"
        assert case.detail["journey"]["repeat_contacts"] == 2
        assert case.detail["journey"]["closed_not_resolved"]["agent"] == "lee"
        events = session.scalars(select(CaseEvent.interaction_id)).all()
        assert sorted(events) == sorted(ids)
        again = sync_cases(session, workspace)
        assert (again.cases_created, again.cases_updated, again.interactions_threaded) == (0, 1, 0)


def test_a_later_message_naming_a_closed_ticket_flags_it(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    """Issue 14: "you closed my case but nothing is resolved. Ticket T000203", five hours after closing,
    from a handle no identifier links to the ticket's email, gave no flag."""
    closed = T0 + timedelta(hours=4)
    with session_factory() as session:
        ids = insert(
            session,
            workspace,
            interaction(
                "T000203",
                kind="ticket",
                author_email="ann@x.org",
                ticket_id="T000203",
                status="solved",
                closed_at=closed,
                segments={"queue": "refunds", "agent": "lee"},
            ),
            interaction(
                "tw1",
                9,
                channel="twitter",
                kind="post",
                author_handle="@someone_else",
                text="you closed my case but nothing is resolved. Ticket T000203",
            ),
        )
        session.add(
            Enrichment(
                workspace_id=workspace,
                interaction_id=ids[1],
                version="v",
                current=True,
                sentiment_label="negative",
                category="complaints",
                detail={"signals": {"helped": 0.94, "not_helped": 0.0}},
            )
        )
        link_unattached(session, workspace, NOW)
        report = sync_cases(session, workspace)
        assert report.closed_not_resolved == 1
        assert repo.unresolved_tickets(session, workspace) == {"T000203": ["same ticket"]}


def test_profile_shows_everything_redacted(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        ids = _seed(session, workspace)
        (resolution, *_) = link_unattached(session, workspace, NOW)
        sync_cases(session, workspace)
        assert resolution.customer_id is not None
        profile = build_profile(session, workspace, resolution.customer_id)
        assert profile.display_name == "Ann L." and profile.loyalty_tier == "gold"
        assert sorted(i.kind for i in profile.identifiers) == ["email", "handle"]
        assert profile.channels == {"email": 1, "twitter": 2}
        assert profile.repeat_effort == 2 and len(profile.open_cases) == 1
        assert profile.sentiment == ((T0 + timedelta(hours=40), -0.8),)
        texts = " ".join(item.text or "" for item in profile.history)
        assert "4155552671" not in texts and "[PHONE]" in texts
        assert profile.interactions == len(ids)
