"""web: daily gap rollup per segment value, and its read marks

Revision ID: 0003_web_rollup
Revises: 0002_cases
Create Date: 2026-11-23 19:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_web_rollup"
down_revision = "0002_cases"
branch_labels = None
depends_on = None

COUNTS = (
    "surveys",
    "survey_favourable",
    "csat_n",
    "nps_n",
    "nps_promoters",
    "nps_detractors",
    "organic",
    "labelled",
    "positive",
    "negative",
)


def upgrade() -> None:
    op.create_table(
        "gap_rollup",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("seg_key", sa.String(length=60), nullable=False),
        sa.Column("seg_value", sa.String(length=200), nullable=False),
        sa.Column("day", sa.DateTime(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS[:3]],
        sa.Column("csat_sum", sa.Float(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS[3:]],
        sa.PrimaryKeyConstraint("workspace_id", "seg_key", "seg_value", "day"),
    )
    op.create_table(
        "gap_rollup_state",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("interaction_mark", sa.BigInteger(), nullable=False),
        sa.Column("enrichment_mark", sa.BigInteger(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id"),
    )


def downgrade() -> None:
    op.drop_table("gap_rollup_state")
    op.drop_table("gap_rollup")
