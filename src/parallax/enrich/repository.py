"""Enrichment queries: which interactions still need a pipeline version, and writing its rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parallax.store.models import Enrichment, Interaction


@dataclass(frozen=True)
class PendingInteraction:
    id: int
    text: str
    channel: str
    kind: str


def pending_interactions(
    session: Session, workspace_id: str, version: str, after_id: int, limit: int
) -> list[PendingInteraction]:
    """Interactions with text and no enrichment row for ``version``, oldest id first, after the cursor."""
    done = exists().where(and_(Enrichment.interaction_id == Interaction.id, Enrichment.version == version))
    query = (
        select(Interaction.id, Interaction.text, Interaction.channel, Interaction.kind)
        .where(
            Interaction.workspace_id == workspace_id,
            Interaction.id > after_id,
            Interaction.text.is_not(None),
            Interaction.text != "",
            ~done,
        )
        .order_by(Interaction.id)
        .limit(limit)
    )
    return [PendingInteraction(r.id, r.text, r.channel, r.kind) for r in session.execute(query)]


def insert_enrichments(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows; a row whose (interaction_id, version) exists is skipped, so re-runs never duplicate."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    keys = ["interaction_id", "version"]
    if dialect == "postgresql":
        statement: Any = postgresql.insert(Enrichment).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "sqlite":
        statement = sqlite.insert(Enrichment).on_conflict_do_nothing(index_elements=keys)
    else:
        raise NotImplementedError(f"unsupported database dialect {dialect}")
    result = session.execute(statement.returning(Enrichment.id), list(rows))
    return len(result.all())


def retire_other_versions(
    session: Session, workspace_id: str, interaction_ids: Sequence[int], version: str
) -> None:
    """Mark every other version of these interactions' enrichments as not current."""
    if not interaction_ids:
        return
    session.execute(
        update(Enrichment)
        .where(
            Enrichment.workspace_id == workspace_id,
            Enrichment.interaction_id.in_(list(interaction_ids)),
            Enrichment.version != version,
            Enrichment.current.is_(True),
        )
        .values(current=False)
    )


def make_version_current(session: Session, workspace_id: str, version: str) -> None:
    """Make ``version`` the current row wherever it exists (switching back to an older tier, say)."""
    has_version = (
        select(Enrichment.interaction_id)
        .where(Enrichment.workspace_id == workspace_id, Enrichment.version == version)
        .scalar_subquery()
    )
    base = update(Enrichment).where(
        Enrichment.workspace_id == workspace_id, Enrichment.interaction_id.in_(has_version)
    )
    session.execute(
        base.where(Enrichment.version != version, Enrichment.current.is_(True)).values(current=False)
    )
    session.execute(
        base.where(Enrichment.version == version, Enrichment.current.is_(False)).values(current=True)
    )


def current_enrichments(session: Session, workspace_id: str) -> list[Enrichment]:
    """Every current enrichment row of a workspace, by interaction id (for reports and tests)."""
    query = (
        select(Enrichment)
        .where(Enrichment.workspace_id == workspace_id, Enrichment.current.is_(True))
        .order_by(Enrichment.interaction_id)
    )
    return list(session.scalars(query))
