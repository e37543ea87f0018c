"""Notifications: a Slack-compatible webhook and SMTP email, each retried with exponential back-off.

Notifiers are plugins behind one small interface (``send(note)``); tests run them against real local servers.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

from parallax.enrich.pii import redact

SEVERITY_EMOJI = {"low": ":large_blue_circle:", "medium": ":large_yellow_circle:", "high": ":red_circle:"}


@dataclass(frozen=True)
class Notification:
    """What is said about an alert. Every text in it (title, summary, examples, fields) goes through the
    redaction policy when it is made, whoever made it: a notification leaves Parallax."""

    alert_id: int
    title: str
    severity: str
    summary: str
    examples: tuple[str, ...] = ()
    link: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", redact(self.title))
        object.__setattr__(self, "summary", redact(self.summary))
        object.__setattr__(self, "examples", tuple(redact(e) for e in self.examples))
        object.__setattr__(self, "fields", {k: redact(str(v)) for k, v in self.fields.items()})

    def slack_payload(self) -> dict[str, Any]:
        """Slack's incoming-webhook format: ``text`` for notifications, ``blocks`` for the message."""
        emoji = SEVERITY_EMOJI.get(self.severity, ":rotating_light:")
        header = f"{emoji} *[{self.severity.upper()}] {self.title}*"
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{header}\n{self.summary}"}},
        ]
        if self.fields:
            items = [{"type": "mrkdwn", "text": f"*{k}*\n{v}"} for k, v in self.fields.items()]
            blocks.append({"type": "section", "fields": items[:10]})
        if self.examples:
            quoted = "\n".join(f"> {e}" for e in self.examples)
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": quoted}})
        if self.link:
            link = {"type": "mrkdwn", "text": f"<{self.link}|Open>"}
            blocks.append({"type": "context", "elements": [link]})
        return {"text": f"[{self.severity.upper()}] {self.title}", "blocks": blocks}

    def email_body(self) -> str:
        lines = [self.title, "", self.summary, ""]
        lines += [f"{k}: {v}" for k, v in self.fields.items()]
        lines += ["", *[f'  "{e}"' for e in self.examples]]
        if self.link:
            lines += ["", self.link]
        return "\n".join(lines)


class Notifier(Protocol):
    name: str

    async def send(self, note: Notification) -> None: ...


async def with_retries(
    action: Callable[[], Awaitable[None]], attempts: int = 4, base_delay: float = 0.5, max_delay: float = 30.0
) -> int:
    """Run ``action`` until it succeeds, sleeping ``base_delay * 2**n`` between tries; returns tries used."""
    for attempt in range(1, attempts + 1):
        try:
            await action()
            return attempt
        except (httpx.HTTPError, OSError, smtplib.SMTPException, RetryableStatus):
            if attempt == attempts:
                raise
            await asyncio.sleep(min(base_delay * 2 ** (attempt - 1), max_delay))
    raise AssertionError("unreachable")


class RetryableStatus(Exception):
    """The receiver answered with a status worth retrying (429 or 5xx)."""


@dataclass
class WebhookNotifier:
    url: str
    attempts: int = 4
    base_delay: float = 0.5
    timeout: float = 5.0
    name: str = "webhook"

    async def send(self, note: Notification) -> None:
        async with httpx.AsyncClient(timeout=self.timeout) as client:

            async def post() -> None:
                response = await client.post(self.url, json=note.slack_payload())
                if response.status_code == 429 or response.status_code >= 500:
                    raise RetryableStatus(f"webhook answered {response.status_code}")
                response.raise_for_status()

            await with_retries(post, self.attempts, self.base_delay)


@dataclass
class EmailNotifier:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    attempts: int = 4
    base_delay: float = 0.5
    name: str = "email"

    def _send_sync(self, note: Notification) -> None:
        message = EmailMessage()
        message["Subject"] = f"[Parallax {note.severity}] {note.title}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(note.email_body())
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)

    async def send(self, note: Notification) -> None:
        await with_retries(lambda: asyncio.to_thread(self._send_sync, note), self.attempts, self.base_delay)
