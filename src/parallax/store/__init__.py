"""The store: SQLAlchemy 2.0 typed models, Alembic migrations (run on start) and shared repositories.

Owns table definitions only; domain rules live in the domain rooms. Must not import delivery code.
"""

from parallax.store.models import (
    Alert,
    ApiKey,
    Base,
    Case,
    CaseEvent,
    Customer,
    Enrichment,
    Identifier,
    IdentityEvent,
    Interaction,
    InteractionSegment,
    User,
    Workspace,
)

__all__ = [
    "Alert",
    "ApiKey",
    "Base",
    "Case",
    "CaseEvent",
    "Customer",
    "Enrichment",
    "Identifier",
    "IdentityEvent",
    "Interaction",
    "InteractionSegment",
    "User",
    "Workspace",
]
