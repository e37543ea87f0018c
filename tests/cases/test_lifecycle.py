"""The transition table: every allowed move and its effect, and the moves it refuses."""

from __future__ import annotations

import doctest
import itertools

import pytest

import parallax.cases.lifecycle as lifecycle_module
import parallax.cases.outbound as outbound_module
import parallax.cases.priority as priority_module
import parallax.cases.routing as routing_module
import parallax.cases.sla as sla_module
from parallax.cases.lifecycle import STATUSES, Effect, allowed_from, transition
from parallax.kit.errors import Conflict, ValidationFailed

ALLOWED = {
    ("new", "open"): Effect(),
    ("new", "closed"): Effect(stamp_closed=True, needs_reason=True),
    ("open", "pending"): Effect(pause_sla=True),
    ("pending", "open"): Effect(resume_sla=True),
    ("open", "resolved"): Effect(stamp_resolved=True),
    ("pending", "resolved"): Effect(resume_sla=True, stamp_resolved=True),
    ("resolved", "closed"): Effect(stamp_closed=True),
    ("resolved", "open"): Effect(reopen=True),
    ("closed", "open"): Effect(reopen=True),
}


@pytest.mark.parametrize(("previous", "current"), sorted(ALLOWED))
def test_each_allowed_transition_has_its_effect(previous: str, current: str) -> None:
    assert transition(previous, current) == ALLOWED[(previous, current)]


FORBIDDEN = sorted(set(itertools.product(STATUSES, STATUSES)) - set(ALLOWED))


@pytest.mark.parametrize(("previous", "current"), FORBIDDEN)
def test_every_other_transition_is_refused(previous: str, current: str) -> None:
    with pytest.raises(Conflict, match=f"from {previous} to {current}"):
        transition(previous, current)


def test_unknown_status_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailed):
        transition("open", "archived")


def test_menu_offers_exactly_the_reachable_statuses() -> None:
    assert allowed_from("new") == ["open", "closed"]
    assert allowed_from("pending") == ["open", "resolved"]
    assert allowed_from("closed") == ["open"]


@pytest.mark.parametrize(
    "module", [lifecycle_module, sla_module, routing_module, priority_module, outbound_module]
)
def test_docstring_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert tried > 0 and failures == 0
