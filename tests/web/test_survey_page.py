"""The survey page says how each figure was corrected: method, assumption, sensitivity band, follow-up."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from survey_world import survey_world

from parallax.store.interactions import insert_interactions
from parallax.web.queries import survey as survey_queries


@pytest.fixture(autouse=True)
def fresh_figures() -> Iterator[None]:
    """The page caches per workspace and data marks; another test's database can share both."""
    survey_queries.clear()
    yield
    survey_queries.clear()


def _how_rows(html: str) -> dict[str, list[str]]:
    section = unescape(html.split('id="how-h"', 1)[1].split("</table>", 1)[0])
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', section, re.S)
    return {name: re.findall(r"<td>(.*?)</td>", cells, re.S) for name, cells in rows}


def test_the_page_shows_method_assumption_band_and_follow_up(
    client_for: Callable[[str], tuple[TestClient, str]],
    session_factory: sessionmaker[Session],
    workspace: str,
) -> None:
    with session_factory() as session:
        insert_interactions(session, workspace, survey_world())
        session.commit()
    client, _ = client_for("viewer")
    html = client.get("/survey").text
    how = _how_rows(html)
    assert set(how) == {"CSAT % satisfied", "NPS"}
    for method, assumption, band, followup in how.values():
        assert method.startswith("two-phase") and assumption.startswith("two-phase: assumes only")
        assert re.fullmatch(r"5 points lower: -?[\d.]+, 10 points lower: -?[\d.]+", band)
        assert "26 of 32 followed up answered" in followup
    # the phoned answer CSAT worse than the online answers predict, and NPS better
    assert re.search(r"[\d.]+ points below similar online answers; if the silent", how["CSAT % satisfied"][3])
    assert re.search(r"[\d.]+ points above similar online answers; the follow-up sits above", how["NPS"][3])
    assert "points below similar" not in how["NPS"][3] and "-" not in how["NPS"][3].split(" points")[0]


def test_without_a_follow_up_the_page_names_aipw_and_its_assumption(
    client_for: Callable[[str], tuple[TestClient, str]],
    session_factory: sessionmaker[Session],
    workspace: str,
) -> None:
    with session_factory() as session:
        insert_interactions(session, workspace, survey_world(follow_up=False))
        session.commit()
    client, _ = client_for("viewer")
    how = _how_rows(client.get("/survey").text)
    method, assumption, band, followup = how["CSAT % satisfied"]
    assert method.startswith("AIPW") and "at random given the records (no follow-up" in assumption
    low5, low10 = (float(v) for v in re.findall(r"lower: (-?[\d.]+)", band))
    assert low10 < low5 and followup == "none"


def test_without_invitations_the_page_says_why_and_shows_no_method(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    client, _ = client_for("viewer")
    html = client.get("/survey").text
    assert "Not enough invitations to correct" in html and 'id="how-h"' not in html


def test_a_workspace_without_surveys_gets_the_page_with_a_note(
    client_for: Callable[[str], tuple[TestClient, str]],
) -> None:
    """Every new tenant: a 200 page saying there are no survey answers yet (was a plain-text 500)."""
    client, _ = client_for("viewer")
    response = client.get("/survey")
    assert response.status_code == 200
    assert "No survey answers yet" in response.text and 'id="how-h"' not in response.text
