"""The workspace's revision counter: one row counted up in the same transaction as every write.

App servers check it (one primary-key read, at most every few seconds) to drop their caches when
another process wrote (issue 19: several app servers on one database).

Revision ID: 0006_revision
Revises: 0005_version_columns
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_revision"
down_revision: str | None = "0005_version_columns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "workspace_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_revision")),
    )
    op.bulk_insert(table, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("workspace_revision")
