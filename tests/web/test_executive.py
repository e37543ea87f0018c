"""The executive view over a sample world with known truth, and the drill-down behind its numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from parallax.web.sample import HIDDEN_ROUTES


def _hidden_rows(html: str) -> list[str]:
    section = html.split('id="hidden-h"', 1)[1]
    return re.findall(r'<th scope="row">(\w+) = ([\w-]+)</th>', section)


def test_executive_shows_inside_outside_and_gap(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    client, _ = client_for("viewer")
    html = client.get("/").text
    assert "What the dashboard says vs what customers say" in html
    assert "Inside: favourable surveys" in html and "Perception gap" in html
    big = re.findall(r'class="big" href="[^"]+">([^<]+)<', html)
    assert len(big) == 3 and all(value.strip() != "-" for value in big)


def test_hidden_failures_name_the_seeded_routes_first(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    client, _ = client_for("analyst")
    rows = _hidden_rows(client.get("/").text)
    assert {value for _, value in rows[:2]} == set(HIDDEN_ROUTES)


def test_drill_down_lists_the_interactions_and_redacts_pii(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    client, _ = client_for("analyst")
    html = client.get("/").text
    link = unescape(re.search(r'href="(/drill\?[^"]*key=route[^"]*CDG-ORD[^"]*)"', html).group(1))
    page = client.get(link).text
    assert "where route = CDG-ORD" in page
    assert "[EMAIL]" in page and "@example.com" not in page


def test_agents_see_contact_details_viewers_cannot_drill(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    agent, _ = client_for("agent")
    assert "@example.com" in agent.get("/drill?side=outside&tone=negative").text
    viewer, _ = client_for("viewer")
    assert viewer.get("/drill?side=outside").status_code == 403


def test_heatmap_switches_segment(client_for: Callable[[str], tuple[TestClient, str]], sample: None) -> None:
    client, _ = client_for("viewer")
    html = client.get("/?segment=cabin").text
    assert "Gap in points by cabin" in html and '<th scope="row">business</th>' in html


def test_plotly_is_served_locally(client_for: Callable[[str], tuple[TestClient, str]]) -> None:
    client, _ = client_for("viewer")
    response = client.get("/static/plotly.min.js")
    assert response.status_code == 200 and b"plotly" in response.content[:2000].lower()
    assert client.get("/static/..%2Fdeps.py").status_code == 404


def test_survey_correction_page_follows_the_metrics_room(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    from parallax.web.queries.survey import metrics_service

    client, _ = client_for("viewer")
    response = client.get("/survey")
    if metrics_service() is None:
        assert response.status_code == 404 and 'href="/survey"' not in client.get("/").text
        return
    assert response.status_code == 200 and 'href="/survey"' in client.get("/").text
    assert "Survey-corrected scores and hidden failures" in response.text
    assert "Hidden failures (statistical test)" in response.text


def test_mirror_page_shows_the_gap_per_dimension_and_team(
    client_for: Callable[[str], tuple[TestClient, str]], sample: None
) -> None:
    client, _ = client_for("viewer")
    html = unescape(client.get("/mirror").text)
    assert "What employees believe customers think" in html
    assert "300 customers and 60 employees answered" in html
    rows = re.findall(
        r'<tr><th scope="row">([\w ]+)</th><td>([\d.]+) \(n=300\)</td>\s*<td>([\d.]+) \(n=60\)</td>', html
    )
    assert {r[0] for r in rows} == {
        "Privacy",
        "Personalization",
        "Customer understanding",
        "Omnichannel consistency",
    }
    gaps = {name: float(emp) - float(cust) for name, cust, emp in rows}
    # The simulator plants the largest optimism on omnichannel consistency and customer understanding.
    assert gaps["Omnichannel consistency"] > 3 and gaps["Customer understanding"] > 3
    assert "employees overestimate" in html and "management" in html


def test_mirror_page_without_sheets_says_how_to_import(
    client_for: Callable[[str], tuple[TestClient, str]],
) -> None:
    client, _ = client_for("viewer")
    html = client.get("/mirror").text
    assert "No mirror survey yet" in html and "--mapping mirror" in html
