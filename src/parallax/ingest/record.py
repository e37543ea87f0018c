"""The canonical incoming interaction, validated at the boundary (HTTP bodies, file rows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from parallax.kit.clock import to_naive_utc
from parallax.kit.limits import MAX_TEXT_CHARS

CHANNELS = frozenset(
    {
        "twitter",
        "facebook",
        "instagram",
        "review",
        "app_store",
        "forum",
        "news",
        "email",
        "chat",
        "whatsapp",
        "sms",
        "phone",
        "survey",
        "ticket",
        "web",
        "cfpb",
        "other",
    }
)
KINDS = frozenset(
    {
        "survey_response",
        "survey_invite",
        "ticket",
        "message",
        "post",
        "reply",
        "review",
        "complaint",
        "mention",
        "call_summary",
        "agent_note",
        "mirror_response",  # an answer sheet of a mirror survey (customer or employee), items in raw
    }
)
# The whole product turns on this: answers the company asked for vs what customers volunteered.
SOLICITED_KINDS = frozenset({"survey_response", "survey_invite", "mirror_response"})
SCORE_RANGES: dict[str, tuple[float, float]] = {
    "csat": (1, 5),
    "nps": (0, 10),
    "ces": (1, 7),
    "stars": (1, 5),
}


class InteractionIn(BaseModel):
    """One interaction as a caller sends it; ``solicited`` defaults from ``kind``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str = Field(min_length=1, max_length=100)
    external_id: str = Field(min_length=1, max_length=200)
    channel: str
    kind: str
    occurred_at: datetime
    solicited: bool | None = None
    direction: str = "inbound"
    author_handle: str | None = Field(default=None, max_length=200)
    author_email: str | None = Field(default=None, max_length=320)
    author_phone: str | None = Field(default=None, max_length=40)
    author_name: str | None = Field(default=None, max_length=200)
    loyalty_id: str | None = Field(default=None, max_length=100)
    booking_ref: str | None = Field(default=None, max_length=40)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)  # kit/limits.py
    score_type: str | None = None
    score_value: float | None = None
    ticket_id: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=40)
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    in_reply_to: str | None = Field(default=None, max_length=200)
    invited_at: datetime | None = None
    segments: dict[str, str] = Field(default_factory=dict)
    raw: dict[str, Any] = Field(default_factory=dict)

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        value = value.lower()
        if value not in CHANNELS:
            raise ValueError(f"unknown channel {value!r}; one of {sorted(CHANNELS)}")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        value = value.lower()
        if value not in KINDS:
            raise ValueError(f"unknown kind {value!r}; one of {sorted(KINDS)}")
        return value

    @field_validator("direction")
    @classmethod
    def _known_direction(cls, value: str) -> str:
        if value not in ("inbound", "outbound"):
            raise ValueError("direction must be inbound or outbound")
        return value

    @field_validator("occurred_at", "first_response_at", "closed_at", "invited_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        try:
            return None if value is None else to_naive_utc(value)
        except OverflowError:
            raise ValueError("timestamp is out of range in UTC") from None

    @field_validator("segments", mode="before")
    @classmethod
    def _segments_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items() if v is not None and str(v) != ""}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> InteractionIn:
        if self.solicited is None:
            self.solicited = self.kind in SOLICITED_KINDS
        if (self.score_type is None) != (self.score_value is None):
            raise ValueError("score_type and score_value go together")
        if self.score_type is not None and self.score_value is not None:
            self.score_type = self.score_type.lower()
            if self.score_type not in SCORE_RANGES:
                raise ValueError(f"unknown score_type {self.score_type!r}")
            low, high = SCORE_RANGES[self.score_type]
            if not low <= self.score_value <= high:
                raise ValueError(f"{self.score_type} must be between {low:g} and {high:g}")
        if self.closed_at is not None and self.closed_at < self.occurred_at:
            raise ValueError("closed_at is before occurred_at")
        return self
