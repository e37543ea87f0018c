"""One redaction policy, used by every way a text leaves Parallax: logs, alert notifications and examples,
the identity profile (API and ``parallax customers show``), and ``parallax eval pii``."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from parallax.alerts.context import summarise
from parallax.alerts.events import SignalEvent
from parallax.alerts.notify import Notification
from parallax.enrich.pii import POLICY, Audience, identifier, show
from parallax.enrich.pii.eval_corpus import corpus
from parallax.enrich.pii.eval_score import score
from parallax.enrich.pii.logfilter import RedactingFilter, install

RAW = "call 020 7946 0958, IBAN GB82 WEST 1234 5698 7654 32, booking ref QX7K2P"
SECRETS = ("020 7946 0958", "GB82 WEST", "QX7K2P")


def _clean(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


def test_audiences_differ_only_as_the_policy_says() -> None:
    assert show(RAW) == "call [PHONE], IBAN [IBAN], booking ref [BOOKING]"
    assert show(RAW, Audience.CONTACT) == "call 020 7946 0958, IBAN [IBAN ending 5432], booking ref QX7K2P"
    assert {"card", "iban"} == POLICY.contact_sees_last_four and "national_id" not in POLICY.contact_sees
    assert identifier("ann@example.com", Audience.CONTACT) == "ann@example.com"


def test_log_records_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install()
    install()  # idempotent
    with caplog.at_level(logging.INFO):
        logging.getLogger("parallax.test").warning("customer wrote: %s", RAW)
    assert "[PHONE]" in caplog.text and _clean(caplog.text)


def test_the_handler_filter_redacts_too() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg %s", (RAW,), None)
    RedactingFilter().filter(record)
    assert _clean(record.getMessage()) and "[IBAN]" in record.getMessage()


def test_notifications_carry_no_personal_data() -> None:
    note = Notification(7, "Spike after John Smith wrote", "high", f"see {RAW}", (RAW,), None, {"Where": RAW})
    assert _clean(str(note.slack_payload())) and _clean(note.email_body())
    assert "[PHONE]" in note.email_body()


def test_alert_examples_go_through_the_policy() -> None:
    event = SignalEvent("acme", "s", "1", datetime(2026, 3, 1), "twitter", "negative", text=RAW)
    examples = summarise([event]).examples
    assert examples and _clean(examples[0]) and "[BOOKING]" in examples[0]


def test_the_profile_behind_the_api_and_the_cli_is_redacted(
    session_factory: sessionmaker[Session], workspace: str
) -> None:
    from case_factories import make_case
    from sqlalchemy import select

    from parallax.identity.profile import build_profile
    from parallax.store.models import Case, Interaction

    with session_factory() as session:
        case = session.get(Case, make_case(session, workspace))
        assert case is not None and case.customer_id is not None
        row = session.scalars(select(Interaction).where(Interaction.workspace_id == workspace)).one()
        row.text, row.customer_id = RAW, case.customer_id
        session.flush()
        texts = [h.text or "" for h in build_profile(session, workspace, case.customer_id).history]
    assert texts and all(_clean(t) for t in texts) and "[BOOKING]" in texts[0]


def test_the_generator_is_seeded_and_the_scorer_counts() -> None:
    assert corpus(30, 3) == corpus(30, 3) and corpus(30, 3) != corpus(30, 4)
    result = score(corpus(200, 11), model=False)
    assert result.char_precision >= 0.95 and result.recall["phone"] >= 0.95 and result.recall["iban"] >= 0.95


def test_eval_pii_prints_and_writes_its_section(tmp_path: Path) -> None:
    from parallax.cli.main import app

    bench = tmp_path / "BENCHMARKS.md"
    args = ["eval", "pii", "--n", "60", "--no-real", "--bench-file", str(bench)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| phone |" in result.output and "<!-- bench:pii:start -->" in bench.read_text()
