"""The OpenAPI document is true: schemathesis calls every operation and checks each answer against it.

Bounded so it runs in every ``make test``: a few deterministic examples per operation (explicit and generate
phases, no shrinking, no example database), over a seeded SQLite workspace with a real API key. Checks: no
5xx, every status code documented, the content type and the body as the schema says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from survey_world import survey_world

from parallax.api.app import create_app
from parallax.kit.db import session_scope
from parallax.store.interactions import insert_interactions
from parallax.store.workspaces import create_api_key, ensure_workspace
from parallax.web.sample import SampleSpec, load_sample

WORKSPACE = "contract"
EXAMPLES = 6  # per operation (3 for the heavy ones): 1-2 minutes in all on a busy 2-core machine
HEAVY_EXAMPLES = 3
# The live feed streams until the client leaves; tests/alerts/test_api.py reads it with a limit.
STREAMING = "/v1/alerts/stream"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    """The app over a SQLite store with a sample world (surveys, voices, cases, alerts, customers)."""
    path: Path = tmp_path_factory.mktemp("contract") / "parallax.sqlite"
    app = create_app(f"sqlite:///{path}")
    with session_scope(app.state.session_factory) as session:
        ensure_workspace(session, WORKSPACE, "Contract Air")
        load_sample(session, WORKSPACE, SampleSpec(interactions=600, weeks=2))
        insert_interactions(session, WORKSPACE, survey_world())
        key = create_api_key(session, WORKSPACE, "schemathesis")
    yield app, key
    app.state.engine.dispose()


def without_prefix_items(node: Any) -> Any:
    """The document with each fixed-length tuple (``prefixItems``, OpenAPI 3.1) as an array of its item types.

    Schemathesis 4 rewrites ``prefixItems`` in a response schema to the draft-4 list form of ``items`` and
    then refuses that form under 3.1 ("Invalid Schema Object"); the app's own document keeps the exact
    tuples, the test checks each position against the union of the tuple's types (and still the length).
    """
    if isinstance(node, list):
        return [without_prefix_items(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: without_prefix_items(value) for key, value in node.items() if key != "prefixItems"}
    if "prefixItems" in node and "items" not in node:
        kinds: list[Any] = []
        for kind in without_prefix_items(node["prefixItems"]):
            kinds += [] if kind in kinds else [kind]
        out["items"] = kinds[0] if len(kinds) == 1 else {"anyOf": kinds}
    return out


# The document is read without a database; the calls go to the seeded app (``contract_app``).
DOCUMENT = without_prefix_items(create_app("sqlite://", migrate=False).openapi())
schema = schemathesis.openapi.from_dict(DOCUMENT).exclude(path=STREAMING)
schema.config.generation.update(deterministic=True, no_shrink=True, database="none")
# Board scans and the hidden-failure search take 0.5-4 s a call: fewer examples there.
HEAVY = r"^/v1/metrics/(overview|segments|hidden-failures)$"


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def call_and_check(case: Any, contract_app: tuple[FastAPI, str]) -> None:
    app, key = contract_app
    # a generous timeout: the first call of a process may load the redaction models
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS, timeout=120)


@schema.exclude(path_regex=HEAVY).parametrize()
@bounded(EXAMPLES)
def test_every_operation_answers_as_documented(case: Any, contract_app: tuple[FastAPI, str]) -> None:
    call_and_check(case, contract_app)


@schema.include(path_regex=HEAVY).parametrize()
@bounded(HEAVY_EXAMPLES)
def test_every_metrics_board_answers_as_documented(case: Any, contract_app: tuple[FastAPI, str]) -> None:
    call_and_check(case, contract_app)


def test_one_error_schema_for_every_422(contract_app: tuple[FastAPI, str]) -> None:
    """Validation and domain 422s share ErrorBody: FastAPI's HTTPValidationError is not declared anywhere."""
    document = contract_app[0].openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, status)


def test_validation_and_domain_422_have_the_same_shape(contract_app: tuple[FastAPI, str]) -> None:
    app, key = contract_app
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        invalid = client.get("/v1/metrics/segments?attribute=route&period=year", headers=headers)
        domain = client.get("/v1/metrics/segments?attribute=a%20b", headers=headers)
    assert invalid.status_code == domain.status_code == 422
    assert invalid.json()["error"] == domain.json()["error"] == "validation_failed"
    assert isinstance(invalid.json()["detail"], list) and isinstance(domain.json()["detail"], str)


def test_query_dates_are_iso_8601_not_numbers(contract_app: tuple[FastAPI, str]) -> None:
    app, key = contract_app
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        number = client.get("/v1/interactions?until=0.5", headers=headers)
        timestamp = client.get("/v1/metrics/overview?since=1700000000", headers=headers)
        day = client.get("/v1/interactions?until=2026-03-02&limit=1", headers=headers)
        offset = client.get(
            "/v1/interactions", params={"since": "2026-02-20T10:00:00+01:00"}, headers=headers
        )
    assert number.status_code == timestamp.status_code == 422
    assert number.json()["detail"][0]["loc"] == ["query", "until"]
    assert day.status_code == offset.status_code == 200


def test_datetimes_go_out_in_utc(contract_app: tuple[FastAPI, str]) -> None:
    app, key = contract_app
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(app) as client:
        interaction = client.get("/v1/interactions?limit=1", headers=headers).json()["items"][0]
        alert = client.get("/v1/alerts?limit=1", headers=headers).json()[0]
        case = client.get("/v1/cases?limit=1", headers=headers).json()[0]
        customer = client.get("/v1/customers?limit=1", headers=headers).json()["items"][0]
        profile = client.get(f"/v1/customers/{customer['id']}", headers=headers).json()
    stamps = [interaction["occurred_at"], alert["started_at"], case["opened_at"], customer["created_at"]]
    stamps.append(profile["created_at"])
    assert all(s.endswith(("Z", "+00:00")) for s in stamps), stamps
