"""Typed table models. Every timestamp is naive UTC. Every row belongs to one workspace (tenant).

Relationships are ``lazy="raise"``: an unloaded relationship fails loudly instead of running a hidden query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from parallax.kit.clock import utcnow

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for large tables.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiKey(Base):
    """A per-workspace API key. Only a SHA-256 of the secret is stored; the prefix identifies it in lists."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # None: never


class User(Base):
    """A person who logs in to the web app. Passwords are hashed with Argon2."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("workspace_id", "email"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))  # admin | analyst | agent | viewer
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # may not log in


class WebSession(Base):
    """A login session, server-side so logout and disabling a user end it at once. The cookie carries the
    signed session id; only its SHA-256 is stored here."""

    __tablename__ = "web_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LoginAttempt(Base):
    """One login attempt, for throttling and audit. The account is a hash of workspace and email (no email in
    clear, never the password); ``reason`` is ok | bad_password | unknown_user | disabled | locked."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_account_at", "account", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    workspace_id: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))


class Customer(Base):
    """One person as Parallax understands them; filled by the identity room."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    loyalty_tier: Mapped[str | None] = mapped_column(String(40), nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # indexed: the metric roll-up reads the latest change as a mark on every board read
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)


class Identifier(Base):
    """A normalised identifier (email, phone, handle@platform, loyalty number, booking ref).

    The value is kept only as a hash for linkage plus a redacted form for display.
    """

    __tablename__ = "identifier"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "value_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    value_hash: Mapped[str] = mapped_column(String(64))
    display: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IdentityEvent(Base):
    """Audit log of merges, splits and links: who/what/why, enough to undo any of them."""

    __tablename__ = "identity_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # link | merge | unmerge
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Interaction(Base):
    """One thing a customer or the company said or recorded, from any channel.

    Idempotent on (workspace_id, source, external_id): re-sending never duplicates.
    ``solicited`` is true for survey answers (the company asked) and false for organic contact.
    """

    __tablename__ = "interaction"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id", name="uq_interaction_natural"),
        Index("ix_interaction_ws_time", "workspace_id", "occurred_at"),
        Index("ix_interaction_ws_kind_time", "workspace_id", "kind", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"))
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    solicited: Mapped[bool] = mapped_column(Boolean)
    direction: Mapped[str] = mapped_column(String(10), default="inbound")  # inbound | outbound
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author_handle: Mapped[str | None] = mapped_column(String(200), nullable=True)
    author_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    author_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    author_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    loyalty_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    booking_ref: Mapped[str | None] = mapped_column(String(40), nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    score_type: Mapped[str | None] = mapped_column(String(20), nullable=True)  # csat | nps | ces | stars
    score_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    ticket_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    segments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InteractionSegment(Base):
    """Long form of an interaction's segment attributes so any attribute can be grouped on in SQL."""

    __tablename__ = "interaction_segment"
    __table_args__ = (Index("ix_segment_ws_key_value", "workspace_id", "key", "value"),)

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))


class Enrichment(Base):
    """What the pipeline read from one interaction, one row per interaction and pipeline version.

    The scores metrics group on are real columns; the rest (emotions, categories, entities) are JSON.
    ``current`` marks the row metrics should read when several versions exist.
    """

    __tablename__ = "enrichment"
    __table_args__ = (
        UniqueConstraint("interaction_id", "version", name="uq_enrichment_version"),
        Index("ix_enrichment_ws_current", "workspace_id", "current"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(64))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(100))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    sentiment_label: Mapped[str | None] = mapped_column(String(10), nullable=True)
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    emotion: Mapped[str | None] = mapped_column(String(20), nullable=True)
    friction: Mapped[float | None] = mapped_column(Float, nullable=True)
    repeated_effort: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    category: Mapped[str | None] = mapped_column(String(80), nullable=True)
    redacted_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Case(Base):
    """One customer issue as a thread across channels; the inbox works on these."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    category: Mapped[str | None] = mapped_column(String(80), nullable=True)
    channel: Mapped[str | None] = mapped_column(String(40), nullable=True)
    queue: Mapped[str | None] = mapped_column(String(80), nullable=True)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sla_due_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CaseEvent(Base):
    """Everything that happened to a case: interactions attached, status changes, notes, replies."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))  # interaction | status | note | reply | assign
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interaction.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(200), default="system")
    body: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Alert(Base):
    """A detected incident (spike or threshold breach), grouped so one incident is one alert."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    rule: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged | resolved
    title: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CaseRoutingRule(Base):
    """An editable inbox routing rule; rules apply in ``position`` order and the first match wins."""

    __tablename__ = "case_routing_rule"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    queue: Mapped[str | None] = mapped_column(String(80), nullable=True)
    priority: Mapped[str | None] = mapped_column(String(10), nullable=True)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class GapRollup(Base):
    """Daily inside/outside counts per segment value, kept by the web app so dashboards read kilobytes, not
    millions of rows. ``seg_key``/``seg_value`` are empty for the whole workspace. Rebuilt per day when new
    interactions or enrichments for that day arrive (``parallax.web.rollup``)."""

    __tablename__ = "gap_rollup"

    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seg_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    seg_value: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    surveys: Mapped[int] = mapped_column(Integer, default=0)
    survey_favourable: Mapped[int] = mapped_column(Integer, default=0)
    csat_n: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[float] = mapped_column(Float, default=0.0)
    nps_n: Mapped[int] = mapped_column(Integer, default=0)
    nps_promoters: Mapped[int] = mapped_column(Integer, default=0)
    nps_detractors: Mapped[int] = mapped_column(Integer, default=0)
    organic: Mapped[int] = mapped_column(Integer, default=0)
    labelled: Mapped[int] = mapped_column(Integer, default=0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)


class GapRollupState(Base):
    """How far the rollup of a workspace has read: the highest interaction and enrichment ids seen."""

    __tablename__ = "gap_rollup_state"

    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    interaction_mark: Mapped[int] = mapped_column(BigInteger, default=0)
    enrichment_mark: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MetricRollup(Base):
    """The metrics room's daily sufficient statistics per attribute and segment value (``attribute`` is empty
    for the whole workspace): every declared statistic, first-seen counts for the distinct ones and duration
    histograms, as JSON, so the gap report reads segments x days rows (``parallax.metrics.rollup``)."""

    __tablename__ = "metric_rollup"

    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attribute: Mapped[str] = mapped_column(String(60), primary_key=True)
    segment: Mapped[str] = mapped_column(String(400), primary_key=True)
    day: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)


class MetricRollupState(Base):
    """What the metric roll-up of a workspace has read, and which declarations and attributes it holds."""

    __tablename__ = "metric_rollup_state"

    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    marks: Mapped[dict[str, Any]] = mapped_column(JSON)
    attributes: Mapped[list[Any]] = mapped_column(JSON)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkspaceSetting(Base):
    """One named, editable setting of a workspace (for example ``alert_rules``), as validated JSON."""

    __tablename__ = "workspace_setting"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspace.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320), default="")
