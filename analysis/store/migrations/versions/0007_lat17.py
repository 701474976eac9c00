"""Each task's latest report (``latest_reports``), kept by a trigger in the transaction of every
report written, and filled from the reports already there.

The views across plans read the current report of every task of every plan: with 1 000 000
reports that was one scan of all of them (issue 17); this table holds one row per task. The
trigger inserts a task's row on its first report and moves it on to each report of a higher
``seq`` (reports are append-only: ``seq`` only grows), on SQLite and PostgreSQL alike, so any
writer — the store, a bulk load, ``psql`` — keeps it right.

Revision ID: 0007_lat17
Revises: 0006_revision
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_lat17"
down_revision: str | None = "0006_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "plan_id, task_key, report_id, seq, version, status, period, as_of"
# The row of NEW, or the task's row moved on to NEW when NEW's seq is higher.
UPSERT = f"""
    INSERT INTO latest_reports ({COLUMNS})
    VALUES (NEW.plan_id, NEW.task_key, NEW.id, NEW.seq, NEW.version, NEW.status, NEW.period, NEW.as_of)
    ON CONFLICT (plan_id, task_key) DO UPDATE SET
        report_id = excluded.report_id, seq = excluded.seq, version = excluded.version,
        status = excluded.status, period = excluded.period, as_of = excluded.as_of
    WHERE excluded.seq > latest_reports.seq;
"""
# Every task's report of the highest seq (one per task: (plan_id, task_key, seq) is unique).
BACKFILL = f"""
    INSERT INTO latest_reports ({COLUMNS})
    SELECT r.plan_id, r.task_key, r.id, r.seq, r.version, r.status, r.period, r.as_of
    FROM progress_reports r
    JOIN (SELECT plan_id, task_key, max(seq) AS seq FROM progress_reports GROUP BY plan_id, task_key) m
      ON r.plan_id = m.plan_id AND r.task_key = m.task_key AND r.seq = m.seq
"""


def upgrade() -> None:
    op.create_table(
        "latest_reports",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("task_key", sa.String(length=100), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_latest_reports_plan_id_plans"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["progress_reports.id"],
                                name=op.f("fk_latest_reports_report_id_progress_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "task_key", name=op.f("pk_latest_reports")),
    )
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION latest_report_advance() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {UPSERT}
                RETURN NULL;
            END $$
        """)
        op.execute("CREATE TRIGGER progress_reports_latest AFTER INSERT ON progress_reports "
                   "FOR EACH ROW EXECUTE FUNCTION latest_report_advance()")
    else:
        op.execute(f"CREATE TRIGGER progress_reports_latest AFTER INSERT ON progress_reports BEGIN {UPSERT} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS progress_reports_latest ON progress_reports")
        op.execute("DROP FUNCTION IF EXISTS latest_report_advance()")
    else:
        op.execute("DROP TRIGGER IF EXISTS progress_reports_latest")
    op.drop_table("latest_reports")
