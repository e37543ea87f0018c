"""Webhook and SMTP notifications against real servers on 127.0.0.1, including retries with back-off."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from parallax.alerts.notify import EmailNotifier, Notification, WebhookNotifier

NOTE = Notification(
    alert_id=7,
    title="Spike in delay complaints (LHR-JFK)",
    severity="high",
    summary="120 in 5 minutes against about 6 usually (x17.3); 80% public.",
    examples=("PX117 delayed again, call me on [PHONE]",),
    link="http://127.0.0.1:8000/alerts/7",
    fields={"Where": "route:LHR-JFK"},
)


class _Receiver:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.bodies: list[dict[str, Any]] = []
        self.calls = 0


@pytest.fixture
def webhook() -> Iterator[tuple[str, _Receiver]]:
    receiver = _Receiver(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.calls += 1
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if receiver.calls <= receiver.failures:
                self.send_response(503)
            else:
                receiver.bodies.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", receiver
    server.shutdown()
    server.server_close()


def test_webhook_retries_then_delivers_slack_payload(webhook: tuple[str, _Receiver]) -> None:
    url, receiver = webhook
    asyncio.run(WebhookNotifier(url, attempts=4, base_delay=0.01).send(NOTE))
    assert receiver.calls == 3
    payload = receiver.bodies[0]
    assert payload["text"] == "[HIGH] Spike in delay complaints (LHR-JFK)"
    assert payload["blocks"][0]["type"] == "section"
    assert "> PX117 delayed again, call me on [PHONE]" in json.dumps(payload)


def test_webhook_gives_up_after_its_attempts(webhook: tuple[str, _Receiver]) -> None:
    url, receiver = webhook
    receiver.failures = 10
    with pytest.raises(Exception, match="503"):
        asyncio.run(WebhookNotifier(url, attempts=2, base_delay=0.01).send(NOTE))
    assert receiver.calls == 2


def test_webhook_connection_refused_is_retried_then_raised() -> None:
    with pytest.raises(httpx.ConnectError):
        asyncio.run(WebhookNotifier("http://127.0.0.1:9/none", attempts=2, base_delay=0.01).send(NOTE))


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def test_email_reaches_a_local_smtp_server() -> None:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        notifier = EmailNotifier(
            "127.0.0.1", port, "alerts@parallax.test", ("ops@example.test",), base_delay=0.01
        )
        asyncio.run(notifier.send(NOTE))
    finally:
        controller.stop()
    sender, recipients, content = inbox.messages[0]
    assert (sender, recipients) == ("alerts@parallax.test", ["ops@example.test"])
    assert "Subject: [Parallax high] Spike in delay complaints (LHR-JFK)" in content
    assert "PX117 delayed again, call me on [PHONE]" in content
