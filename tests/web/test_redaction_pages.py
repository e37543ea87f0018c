"""Pages show personal data through the one policy: the same for a kind in every panel (case timeline and
customer profile), contact details whole for agents but never a whole card, tokens for other roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from case_factories import make_case
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parallax.store.models import Case, Interaction

TEXT = "card 4111 1111 1111 1111, booking ref QX7K2P, call 020 7946 0958, passport number 533401372"


@pytest.fixture
def case_and_customer(session_factory: sessionmaker[Session], workspace: str) -> tuple[int, int]:
    with session_factory() as session:
        case = session.get(Case, make_case(session, workspace))
        assert case is not None and case.customer_id is not None
        row = session.scalars(select(Interaction).where(Interaction.workspace_id == workspace)).one()
        row.text, row.customer_id = TEXT, case.customer_id
        session.commit()
        return case.id, case.customer_id


def _panels(client: TestClient, ids: tuple[int, int]) -> list[str]:
    case_id, customer_id = ids
    return [client.get(f"/cases/{case_id}").text, client.get(f"/customers/{customer_id}").text]


def test_agents_see_contact_details_but_never_a_whole_card(
    client_for: Callable[[str], tuple[TestClient, str]], case_and_customer: tuple[int, int]
) -> None:
    client, _ = client_for("agent")
    for page in _panels(client, case_and_customer):
        assert "4111 1111 1111 1111" not in page and "[CARD ending 1111]" in page
        assert "533401372" not in page and "[PASSPORT]" in page
        assert "QX7K2P" in page and "020 7946 0958" in page  # the same in both panels


def test_other_roles_see_tokens_in_every_panel(
    client_for: Callable[[str], tuple[TestClient, str]], case_and_customer: tuple[int, int]
) -> None:
    client, _ = client_for("viewer")
    for page in _panels(client, case_and_customer):
        for raw in ("4111 1111", "QX7K2P", "020 7946 0958", "533401372"):
            assert raw not in page
        assert "[BOOKING]" in page and "[PHONE]" in page and "[CARD]" in page
