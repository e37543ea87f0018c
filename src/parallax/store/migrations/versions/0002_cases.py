"""cases: editable inbox routing rules

Revision ID: 0002_cases
Revises: 0001
Create Date: 2026-11-23 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_cases"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_routing_rule",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("queue", sa.String(length=80), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=True),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_case_routing_rule_workspace_id"), "case_routing_rule", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_case_routing_rule_workspace_id"), table_name="case_routing_rule")
    op.drop_table("case_routing_rule")
