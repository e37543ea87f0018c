"""metrics: daily sufficient statistics per attribute and segment, and what the roll-up has read

Revision ID: 0004_metric_rollup
Revises: 0003_web_rollup
Create Date: 2026-12-01 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_metric_rollup"
down_revision = "0003_web_rollup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_rollup",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("attribute", sa.String(length=60), nullable=False),
        sa.Column("segment", sa.String(length=400), nullable=False),
        sa.Column("day", sa.DateTime(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "attribute", "segment", "day"),
    )
    op.create_table(
        "metric_rollup_state",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id"),
    )


def downgrade() -> None:
    op.drop_table("metric_rollup_state")
    op.drop_table("metric_rollup")
