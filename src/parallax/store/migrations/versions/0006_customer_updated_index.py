"""store: index customer.updated_at (the metric roll-up's mark for tiers changed in place)

Revision ID: 0006_customer_updated_index
Revises: 0005_workspace_setting
Create Date: 2026-12-01 22:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0006_customer_updated_index"
down_revision = "0005_workspace_setting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_customer_updated_at"), "customer", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_customer_updated_at"), table_name="customer")
