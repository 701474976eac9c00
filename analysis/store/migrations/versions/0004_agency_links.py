"""Agencies across plans: user links of agency names, and a precomputed digest per plan version.

Revision ID: 0004_agency_links
Revises: 0003_accounts_audit
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from analysis.store.models import UTCDateTime

revision: str = "0004_agency_links"
down_revision: str | None = "0003_accounts_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_links")),
        sa.UniqueConstraint("region", "name", name="uq_agency_links_region_name"),
    )
    op.create_table(
        "plan_digests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("built_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_plan_digests_plan_id_plans"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id", "version"], ["plan_versions.plan_id", "plan_versions.version"],
                                name="fk_plan_digests_plan_version", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_digests")),
        sa.UniqueConstraint("plan_id", "version", name="uq_plan_digests_plan_id_version"),
    )


def downgrade() -> None:
    op.drop_table("plan_digests")
    op.drop_table("agency_links")
