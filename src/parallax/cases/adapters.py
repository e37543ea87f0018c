"""Real outbound adapters: email over SMTP, and signed JSON webhooks (chat, WhatsApp, social bridges).

Social platforms are reached through a webhook to the brand's bridge for that platform: the same
interface, so a platform SDK can replace the bridge without touching the inbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from parallax.cases.outbound import FakeAdapter, Outbound, OutboundAdapter, OutboundMessage, Receipt

SOCIAL_CHANNELS = ("twitter", "facebook", "instagram", "review", "forum")


@dataclass(frozen=True)
class SmtpEmailAdapter:
    host: str
    port: int = 587
    sender: str = "support@example.com"
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_s: float = 10.0
    name: str = "smtp"

    def send(self, message: OutboundMessage) -> Receipt:
        email = EmailMessage()
        email["From"], email["To"] = self.sender, message.recipient
        email["Subject"] = message.subject or f"Re: your request [case {message.case_id}]"
        if message.in_reply_to:
            email["In-Reply-To"] = message.in_reply_to
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            refused = smtp.send_message(email)
        if refused:
            return Receipt(self.name, "failed", error=f"refused: {', '.join(refused)}")
        return Receipt(self.name, "sent", reference=str(email.get("Message-ID") or ""))


@dataclass(frozen=True)
class WebhookAdapter:
    """POSTs the message as JSON, signed with HMAC-SHA256 in ``X-Parallax-Signature`` when a secret is set."""

    url: str
    secret: str = ""
    timeout_s: float = 10.0
    name: str = "webhook"
    transport: httpx.BaseTransport | None = None

    def send(self, message: OutboundMessage) -> Receipt:
        body = json.dumps(
            {
                "channel": message.channel,
                "recipient": message.recipient,
                "body": message.body,
                "case_id": message.case_id,
                "in_reply_to": message.in_reply_to,
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers["X-Parallax-Signature"] = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
            response = client.post(self.url, content=body, headers=headers)
        if response.status_code >= 300:
            return Receipt(self.name, "failed", error=f"HTTP {response.status_code}")
        return Receipt(self.name, "sent", reference=response.headers.get("x-message-id", ""))


class OutboundSettings(BaseSettings):
    """Where replies go, from the environment (``PARALLAX_SMTP_HOST``, ``PARALLAX_REPLY_WEBHOOK_URL``...)."""

    model_config = SettingsConfigDict(env_prefix="PARALLAX_", env_file=None, extra="ignore")

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_sender: str = "support@example.com"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    reply_webhook_url: str | None = None  # chat, WhatsApp, SMS
    social_webhook_url: str | None = None  # the brand's bridge to social platforms
    webhook_secret: str = ""


def outbound_from_settings(settings: OutboundSettings) -> Outbound:
    """Adapters for what is configured; without any, replies are recorded by a fake (demo mode)."""
    adapters: dict[str, OutboundAdapter] = {}
    if settings.smtp_host:
        adapters["email"] = SmtpEmailAdapter(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_starttls,
        )
    if settings.reply_webhook_url:
        for channel in ("chat", "whatsapp", "sms", "webhook"):
            adapters[channel] = WebhookAdapter(settings.reply_webhook_url, settings.webhook_secret)
    if settings.social_webhook_url:
        for channel in SOCIAL_CHANNELS:
            adapters[channel] = WebhookAdapter(
                settings.social_webhook_url, settings.webhook_secret, name="social"
            )
    if not adapters:
        adapters["*"] = FakeAdapter(name="demo-outbox")
    return Outbound(adapters)
