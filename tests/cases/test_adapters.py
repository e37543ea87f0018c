"""Outbound adapters at their seams: httpx's MockTransport for webhooks, a recording SMTP class for email."""

from __future__ import annotations

import hashlib
import hmac
import json
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from parallax.cases import adapters
from parallax.cases.adapters import OutboundSettings, SmtpEmailAdapter, WebhookAdapter, outbound_from_settings
from parallax.cases.outbound import FakeAdapter, Outbound, OutboundMessage

MESSAGE = OutboundMessage("whatsapp", "+15550100", "Your bag is on its way", case_id=9, in_reply_to="wa-1")


def test_webhook_posts_signed_json() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, headers={"x-message-id": "abc"})

    adapter = WebhookAdapter("https://bridge.test/out", secret="s3", transport=httpx.MockTransport(handler))
    receipt = adapter.send(MESSAGE)
    assert (receipt.status, receipt.reference) == ("sent", "abc")
    body = seen[0].content
    assert json.loads(body)["recipient"] == "+15550100"
    expected = hmac.new(b"s3", body, hashlib.sha256).hexdigest()
    assert seen[0].headers["x-parallax-signature"] == expected


def test_webhook_error_status_is_a_failed_receipt() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(500))
    assert WebhookAdapter("https://bridge.test/out", transport=transport).send(MESSAGE).status == "failed"


class RecordingSMTP:
    sent: list[EmailMessage] = []
    calls: list[str] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.calls.append(f"connect {host}:{port}")

    def __enter__(self) -> RecordingSMTP:
        return self

    def __exit__(self, *_: Any) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user}")

    def send_message(self, message: EmailMessage) -> dict[str, Any]:
        self.sent.append(message)
        return {}


def test_smtp_adapter_sends_a_threaded_email(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapters.smtplib, "SMTP", RecordingSMTP)
    adapter = SmtpEmailAdapter("mail.test", 2525, "care@air.test", username="bot", password="pw")
    message = OutboundMessage(
        "email", "ann@example.com", "Found it", 4, subject="Re: bag", in_reply_to="<m1>"
    )
    assert adapter.send(message).status == "sent"
    sent = RecordingSMTP.sent[-1]
    assert (sent["To"], sent["From"], sent["In-Reply-To"]) == ("ann@example.com", "care@air.test", "<m1>")
    assert RecordingSMTP.calls[:3] == ["connect mail.test:2525", "starttls", "login bot"]


def test_transport_exceptions_become_failed_receipts() -> None:
    class Broken:
        name = "broken"

        def send(self, message: OutboundMessage) -> Any:
            raise ConnectionError("refused")

    receipt = Outbound({"*": Broken()}).send(MESSAGE)
    assert receipt.status == "failed" and "refused" in receipt.error


def test_registry_from_settings() -> None:
    demo = outbound_from_settings(OutboundSettings())
    assert isinstance(demo.adapter_for("email"), FakeAdapter)
    real = outbound_from_settings(
        OutboundSettings(
            smtp_host="mail.test", reply_webhook_url="https://a.test", social_webhook_url="https://b.test"
        )
    )
    assert isinstance(real.adapter_for("email"), SmtpEmailAdapter)
    assert real.adapter_for("twitter").name == "social"
    assert real.adapter_for("whatsapp").name == "webhook"


def test_smtp_adapter_delivers_to_a_real_smtp_server() -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[EmailMessage] = []

    class Inbox(Message):  # type: ignore[misc]
        def handle_message(self, message: EmailMessage) -> None:
            received.append(message)

    port = _free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        adapter = SmtpEmailAdapter("127.0.0.1", port, "care@air.test", starttls=False)
        receipt = adapter.send(
            OutboundMessage("email", "ann@example.com", "Your bag is here", 5, in_reply_to="<m9>")
        )
    finally:
        controller.stop()
    assert receipt.status == "sent"
    assert received[0]["To"] == "ann@example.com" and received[0]["In-Reply-To"] == "<m9>"
    assert "Your bag is here" in received[0].get_payload()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
