"""The board over a real store (SQLite and PostgreSQL): hand-counted numbers, isolation, thin data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from parallax.metrics.board import compute_board
from parallax.metrics.declarations import Scope
from parallax.metrics.engines import StoreEngine

from .factories import T0, insert, post, survey, ticket


def _world(session: Session, workspace: str) -> None:
    rows = [survey(f"a{k}", s, "A") for k, s in enumerate([5, 5, 4, 2, None, None])]
    rows += [survey(f"b{k}", s, "B", at=T0 + timedelta(days=7)) for k, s in enumerate([1, 5, None])]
    rows += [post(f"a{k}", "A", email=f"c{k}@x.org") for k in range(4)]
    rows += [
        ticket("1", "A", close_hours=10, first_hours=1, email="c0@x.org"),
        ticket("2", "A", close_hours=30, first_hours=3, email="c9@x.org"),
        ticket("3", "A", email="c8@x.org"),
        ticket("4", "A", at=T0 + timedelta(days=2), close_hours=2, email="c9@x.org"),
    ]
    labels = {"pa0": "negative", "pa1": "negative", "pa2": "positive", "pa3": "neutral"}
    insert(session, workspace, rows, labels)


def test_inside_and_outside_views_by_route_and_week(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        _world(session, workspace)
        insert(session, "other", [survey("x1", 1, "A")])
        board = compute_board(StoreEngine(session), Scope(workspace, "route", "week"))
    cells = {(c.segment, c.period.isoformat() if c.period else None): c for c in board.cells}
    a = cells[("A", "2026-03-02")]
    assert (a.inside.csat_n, a.inside.csat_satisfied_pct, a.inside.csat_mean) == (4, 75.0, 4.0)
    assert (a.inside.invites, a.inside.responses, a.inside.response_rate_pct) == (6, 4, 66.6667)
    assert (a.inside.tickets, a.inside.backlog) == (4, 1)
    assert a.inside.median_hours_to_close == 10.0  # 10, 30, 2 hours
    assert a.inside.median_hours_to_first_response == 2.0  # 1 and 3 hours
    # ticket 2 is followed by ticket 4 from the same email within 7 days: not resolved first time
    assert a.inside.fcr_pct == 66.6667
    assert (a.outside.voice, a.outside.voice_scored, a.outside.negative_share_pct) == (4, 4, 50.0)
    assert a.outside.complaints == 2
    b = cells[("B", "2026-03-09")]
    assert (b.inside.csat_n, b.inside.csat_satisfied_pct, b.inside.response_rate_pct) == (2, 50.0, 66.6667)
    assert b.outside.negative_share_pct is None
    assert b.gap.gap is None and "too little data" in b.gap.note


def test_closed_but_not_resolved_by_shared_email(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        rows = [
            ticket("1", "A", close_hours=1, email="Ann@x.org"),
            ticket("2", "A", close_hours=1, email="b@x.org"),
            post("1", "A", at=T0 + timedelta(days=1), email="ann@x.org"),
            post("2", "A", at=T0 - timedelta(days=1), email="b@x.org"),
        ]
        insert(session, workspace, rows, {"p1": "negative", "p2": "negative"})
        board = compute_board(StoreEngine(session), Scope(workspace, None, "all"))
    assert board.cells[0].outside.closed_unresolved_pct == 50.0  # only Ann complained after the close


def test_column_attribute_and_unknown_segment(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        insert(session, workspace, [survey("1", 5, "A"), post("1", "A"), ticket("9", "A")])
        insert(session, workspace, [post("2", "A") | {"segments": {}}])
        by_channel = compute_board(StoreEngine(session), Scope(workspace, "channel", "all"))
        by_airport = compute_board(StoreEngine(session), Scope(workspace, "airport", "all"))
    assert {c.segment for c in by_channel.cells} == {"survey", "twitter", "email"}
    assert [(c.segment, c.inside.csat_n) for c in by_airport.cells] == [("(unknown)", 1)]


def test_response_rate_counts_invitations_not_rows(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    with session_factory() as session:
        rows = [
            survey("1", 5, "A", email="a@x.org"),
            survey("1n", 9, "A", score_type="nps", email="a@x.org"),
            survey("2", None, "A", email="b@x.org"),
            survey("3", None, "A", email="c@x.org"),
        ]
        insert(session, workspace, rows)
        board = compute_board(StoreEngine(session), Scope(workspace, None, "all"))
    inside = board.cells[0].inside
    assert (inside.invites, inside.responses, inside.response_rate_pct) == (3, 1, 33.3333)
    assert (inside.csat_n, inside.nps_n, inside.nps) == (1, 1, 100.0)


def test_two_way_combination(session_factory: sessionmaker[Session], workspace: str) -> None:
    with session_factory() as session:
        rows = [
            survey("1", 5, "A") | {"segments": {"route": "A", "cabin": "business"}},
            survey("2", 1, "A") | {"segments": {"route": "A", "cabin": "economy"}},
            survey("3", 2, "B") | {"segments": {"route": "B"}},
        ]
        insert(session, workspace, rows)
        board = compute_board(StoreEngine(session), Scope(workspace, "route*cabin", "all"))
    assert [(c.segment, c.inside.csat_n) for c in board.cells] == [
        ("A & business", 1),
        ("A & economy", 1),
        ("B & (unknown)", 1),
    ]


def test_report_html_embeds_plotly_and_no_cdn(session_factory: sessionmaker[Session], workspace: str) -> None:
    from parallax.metrics.report_html import ReportData, render_html
    from parallax.metrics.service import SurveyBias
    from parallax.metrics.timing import timing_lag

    with session_factory() as session:
        _world(session, workspace)
        engine = StoreEngine(session)
        overall = compute_board(engine, Scope(workspace, None, "all"))
        weekly = compute_board(engine, Scope(workspace, None, "week"))
        by_route = compute_board(engine, Scope(workspace, "route", "all"))
    html = render_html(
        ReportData(workspace, overall, weekly, (by_route,), SurveyBias(None, None), (), timing_lag([]), ())
    )
    # plotly.js is inline: no script is fetched from anywhere (map-tile defaults inside the bundle are unused)
    assert "Plotly.newPlot" in html and "<script src=" not in html and "plotly_js" not in html
    assert "By route" in html and "too little data" in html
