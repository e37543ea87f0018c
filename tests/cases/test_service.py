"""Working cases against a real database: status with SLA effects, priority, notes, replies, triage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from case_factories import T0, make_case
from sqlalchemy.orm import Session, sessionmaker

from parallax.cases import repository as repo
from parallax.cases.outbound import FakeAdapter, Outbound
from parallax.cases.replies import mark_replying, reply
from parallax.cases.routing import RoutingRule
from parallax.cases.service import add_note, assign, change_status, set_priority
from parallax.cases.triage import triage_new
from parallax.kit.errors import Conflict, NotFound, ValidationFailed


@pytest.fixture
def session(session_factory: sessionmaker[Session], workspace: str) -> Session:
    with session_factory() as s:
        yield s


def test_status_moves_pause_and_resume_the_sla(session: Session, workspace: str) -> None:
    case_id = make_case(session, workspace)
    case = change_status(session, workspace, case_id, "open", "ann", T0)
    due = case.sla_due_at
    assert due == T0 + timedelta(hours=24)
    change_status(session, workspace, case_id, "pending", "ann", T0 + timedelta(hours=1))
    case = change_status(session, workspace, case_id, "open", "ann", T0 + timedelta(hours=4))
    assert case.sla_due_at == due + timedelta(hours=3)
    change_status(session, workspace, case_id, "resolved", "ann", T0 + timedelta(hours=5))
    case = change_status(session, workspace, case_id, "closed", "ann", T0 + timedelta(hours=6))
    assert case.closed_at == T0 + timedelta(hours=6)
    case = change_status(session, workspace, case_id, "open", "bob", T0 + timedelta(days=1))
    assert case.closed_at is None and case.detail["reopened"] == 1
    kinds = [(e.kind, e.detail.get("current")) for e, _ in repo.events_of(session, case)]
    assert kinds[-1] == ("status", "open") and len([k for k in kinds if k[0] == "status"]) == 6


def test_forbidden_move_and_unexplained_close_are_refused(session: Session, workspace: str) -> None:
    case_id = make_case(session, workspace)
    with pytest.raises(Conflict):
        change_status(session, workspace, case_id, "resolved", "ann", T0)
    with pytest.raises(ValidationFailed, match="say why"):
        change_status(session, workspace, case_id, "closed", "ann", T0)
    assert change_status(session, workspace, case_id, "closed", "ann", T0, reason="spam").status == "closed"


def test_priority_moves_the_sla_and_notes_stay_internal(session: Session, workspace: str) -> None:
    case_id = make_case(session, workspace)
    assert set_priority(session, workspace, case_id, "urgent", "ann", T0).sla_due_at == T0 + timedelta(
        hours=1
    )
    assert assign(session, workspace, case_id, "bob", "ann", T0).assignee == "bob"
    note = add_note(session, workspace, case_id, "Called the airport", "ann", T0)
    assert note.kind == "note"
    with pytest.raises(ValidationFailed):
        add_note(session, workspace, case_id, "   ", "ann", T0)


def test_cases_of_another_workspace_are_not_found(session: Session, workspace: str) -> None:
    case_id = make_case(session, "other")
    with pytest.raises(NotFound):
        change_status(session, workspace, case_id, "open", "ann", T0)


def test_reply_goes_back_on_the_customers_channel(session: Session, workspace: str) -> None:
    email, social = FakeAdapter(), FakeAdapter(name="social")
    outbound = Outbound({"email": email, "twitter": social})
    by_mail = make_case(session, workspace, channel="email")
    outcome = reply(session, workspace, by_mail, "We found your bag", "ann", T0, outbound, seen_event_id=0)
    assert outcome.receipt.status == "sent" and email.sent[0].recipient == "ann@example.com"
    case = repo.get_case(session, workspace, by_mail)
    assert case.status == "open" and case.first_response_at == T0
    assert case.sla_due_at == T0 + timedelta(hours=72)
    by_tweet = make_case(session, workspace, channel="twitter", external_id="m2")
    reply(session, workspace, by_tweet, "DM us please", "ann", T0, outbound, seen_event_id=0)
    assert social.sent[0].recipient == "@ann" and social.sent[0].in_reply_to == "m2"


def test_no_duplicate_responses(session: Session, workspace: str) -> None:
    outbound = Outbound({"*": FakeAdapter()})
    case_id = make_case(session, workspace)
    seen = repo.latest_event_id(session, repo.get_case(session, workspace, case_id))
    assert mark_replying(session, workspace, case_id, "ann", T0) == []
    others = mark_replying(session, workspace, case_id, "bob", T0 + timedelta(minutes=1))
    assert [who for who, _ in others] == ["ann"]
    with pytest.raises(Conflict, match=r"ann .* already replying"):
        reply(session, workspace, case_id, "Hello", "bob", T0 + timedelta(minutes=2), outbound, seen)
    with pytest.raises(Conflict, match=r"bob .* already replying"):
        reply(session, workspace, case_id, "Hello", "ann", T0 + timedelta(minutes=2), outbound, seen)
    reply(
        session, workspace, case_id, "Hello", "ann", T0 + timedelta(minutes=2), outbound, seen, confirm=True
    )
    with pytest.raises(Conflict, match="ann already replied"):
        reply(
            session, workspace, case_id, "Hi!", "bob", T0 + timedelta(minutes=3), outbound, seen, confirm=True
        )


def test_failed_delivery_is_recorded_without_a_first_response(session: Session, workspace: str) -> None:
    case_id = make_case(session, workspace)
    outcome = reply(session, workspace, case_id, "Hi", "ann", T0, Outbound({"*": FakeAdapter(fail=True)}), 0)
    case = repo.get_case(session, workspace, case_id)
    assert outcome.receipt.status == "failed" and case.first_response_at is None
    assert [e.kind for e, _ in repo.events_of(session, case)][-1] == "reply_failed"


def test_triage_routes_by_rules_and_suggested_priority(session: Session, workspace: str) -> None:
    gold = make_case(session, workspace, tier="gold", sentiment=-0.8, category="baggage")
    plain = make_case(session, workspace, sentiment=0.3, external_id="m2")
    spanish = make_case(session, workspace, language="es", sentiment=0.0, external_id="m3")
    repo.add_routing_rule(session, workspace, RoutingRule("es", {"language": "es"}, queue="es-team"))
    repo.add_routing_rule(session, workspace, RoutingRule("vip", {"priority": "urgent"}, queue="vip"))
    assert triage_new(session, workspace, T0) == 3
    assert triage_new(session, workspace, T0) == 0
    got = {cid: repo.get_case(session, workspace, cid) for cid in (gold, plain, spanish)}
    assert (got[gold].priority, got[gold].queue) == ("urgent", "vip")
    assert got[gold].sla_due_at == T0 + timedelta(hours=1)
    assert (got[plain].priority, got[plain].queue) == ("normal", None)
    assert got[spanish].queue == "es-team"
