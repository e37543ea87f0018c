"""Logs carry no personal data: every record's message is redacted under the policy before it is written.

``install()`` swaps the log-record factory, so every logger and handler (ours, uvicorn's, libraries')
gets records whose ``getMessage()`` is the redacted message; calling it twice changes nothing.
``RedactingFilter`` does the same for one handler where a factory cannot be used.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from parallax.enrich.pii.policy import Audience, show

_GUARD = threading.local()


def redact_message(message: str) -> str:
    """The message redacted; while the model loads (it may log), by the rules alone."""
    if getattr(_GUARD, "busy", False):
        return show(message, Audience.REDACTED, model=False)
    _GUARD.busy = True
    try:
        return show(message, Audience.REDACTED)
    finally:
        _GUARD.busy = False


class RedactedRecord(logging.LogRecord):
    def getMessage(self) -> str:
        return redact_message(super().getMessage())


class RedactingFilter(logging.Filter):
    """A handler filter: replaces the record's message by its redacted form."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_message(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install() -> None:
    """Make every log record redact its message, on top of whatever factory is set (idempotent)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "parallax_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if type(record) is logging.LogRecord:
            record.__class__ = RedactedRecord
        return record

    factory.parallax_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
