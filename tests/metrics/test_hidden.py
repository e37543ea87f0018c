"""Hidden failures: which of two overlapping flagged segments the list keeps, and why (issue 14's route
dropped as 'explained by' its airport on a comparison of two rows)."""

from __future__ import annotations

from parallax.metrics.hidden import Counts, HiddenFailure, Key, hidden_failures

CALM = 0.2  # the bad rate of an ordinary route


def _network(routes: dict[str, tuple[int, int]]) -> dict[Key, Counts]:
    """Counts of a network where a route's airport is its origin; ten calm airports with two routes each
    besides ``routes`` (route -> (n, bad))."""
    every = dict(routes)
    for a in range(10):
        for b in range(2):
            every[f"Q{a}-Z{b}"] = (120, int(120 * CALM))
    counts: dict[Key, Counts] = {}
    airports: dict[str, list[int]] = {}
    for route, (n, bad) in every.items():
        airport = route.split("-")[0]
        counts[(("route", route),)] = Counts(n, bad)
        counts[(("route", route), ("airport", airport))] = Counts(n, bad)
        total = airports.setdefault(airport, [0, 0])
        total[0] += n
        total[1] += bad
    for airport, (n, bad) in airports.items():
        counts[(("airport", airport),)] = Counts(n, bad)
    return counts


def _by_label(found: list[HiddenFailure]) -> dict[str, HiddenFailure]:
    return {f.label: f for f in found}


def test_a_route_is_not_explained_away_by_two_rows_of_its_airport() -> None:
    """Seed 101 on the product path: route=BCN-AMS 21 bad of 48 (41 of them also tagged airport=BCN),
    airport=BCN 20 of 43; the rest of BCN is 2 rows. They cannot tell the route from the airport, so the
    route stays and the airport points at it."""
    counts = _network({})
    counts[(("route", "BCN-AMS"),)] = Counts(48, 21)
    counts[(("airport", "BCN"),)] = Counts(43, 20)
    counts[(("route", "BCN-AMS"), ("airport", "BCN"))] = Counts(41, 19)
    counts[(("route", "BCN-X"),)] = Counts(2, 1)
    counts[(("route", "BCN-X"), ("airport", "BCN"))] = Counts(2, 1)
    found = _by_label(hidden_failures(counts))
    assert "route=BCN-AMS" in found
    assert found["airport=BCN"].mainly == "route=BCN-AMS"
    assert found["route=BCN-AMS"].mainly is None and found["route=BCN-AMS"].explains == ()


def test_a_route_that_carries_its_airport_explains_it() -> None:
    """One failing route among calm ones: the airport is flagged only through it, and its other 600 rows
    are significantly better than the route's, so the airport is dropped and the route says so."""
    routes = {"AAA-B": (150, 90)} | {f"AAA-{c}": (150, int(150 * CALM)) for c in "CDEF"}
    found = _by_label(hidden_failures(_network(routes)))
    assert "airport=AAA" not in found
    assert found["route=AAA-B"].explains == ("airport=AAA",)


def test_an_airport_wide_failure_explains_its_routes() -> None:
    """Every route of the airport is as bad: the airport's problem is seen outside each route (with
    enough rows to show it), and no route is worse than the rest, so the routes are dropped for it."""
    routes = {f"AAA-{c}": (100, 45) for c in "BCDE"}
    found = _by_label(hidden_failures(_network(routes)))
    assert [label for label in found if label.startswith("route=AAA")] == []
    assert found["airport=AAA"].explains == tuple(f"route=AAA-{c}" for c in "BCDE")


def test_a_hot_route_inside_a_failing_airport_stays_beside_it() -> None:
    routes = {"AAA-B": (100, 80)} | {f"AAA-{c}": (100, 45) for c in "CDE"}
    found = _by_label(hidden_failures(_network(routes)))
    assert {"airport=AAA", "route=AAA-B"} <= set(found)
    assert found["airport=AAA"].explains == tuple(f"route=AAA-{c}" for c in "CDE")
