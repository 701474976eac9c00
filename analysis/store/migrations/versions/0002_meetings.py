"""Coordination meetings (date, title, attendees, agenda) and their append-only decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from analysis.store.models import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out (not read from analysis.vocab) so this migration stays what it was when applied.
_STATUSES = ("not_started", "in_progress", "done", "delayed", "suspended")


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("agenda_warnings", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_meetings_plan_id_plans"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index("ix_meetings_plan_date", "meetings", ["plan_id", "date"], unique=False)
    op.create_table(
        "meeting_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("task_key", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("lead", sa.JSON(), nullable=True),
        sa.Column("support", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("follow_up_by", sa.String(length=200), nullable=False),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("status IS NULL OR status IN (" + ", ".join(f"'{s}'" for s in _STATUSES) + ")",
                           name=op.f("ck_meeting_decisions_status_known")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_decisions_meeting_id_meetings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_meeting_decisions_plan_id_plans"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decisions")),
    )
    op.create_index("ix_meeting_decisions_plan_task", "meeting_decisions", ["plan_id", "task_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_meeting_decisions_plan_task", table_name="meeting_decisions")
    op.drop_table("meeting_decisions")
    op.drop_index("ix_meetings_plan_date", table_name="meetings")
    op.drop_table("meetings")
