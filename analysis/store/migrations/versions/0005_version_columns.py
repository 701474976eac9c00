"""The column mapping confirmed with a plan version (issue 13): a plan imported with a mapping
is rebuilt from its kept bytes exactly as imported.

Revision ID: 0005_version_columns
Revises: 0004_agency_links
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_version_columns"
down_revision: str | None = "0004_agency_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_versions") as batch:
        batch.add_column(sa.Column("columns", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_versions") as batch:
        batch.drop_column("columns")
