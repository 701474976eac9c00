"""The workspace schema: SQLAlchemy 2 typed models, one schema for SQLite and PostgreSQL.

Changes to these models need a migration in ``analysis/store/migrations/versions``; the
tests check that the migrated schema equals the models. Room is left for later tables
(users, audit): add them here and in a new migration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from analysis.vocab import ProgressStatus

# Stable constraint names on both databases (migrations refer to them).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUS_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in ProgressStatus) + ")"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite keeps no zone: UTC is assumed)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps stored in the workspace must carry a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PlanRow(Base):
    """A plan in the workspace; its content lives in its versions."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(500))
    region: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Per-plan settings, e.g. {"rag": {...RagRule.to_dict()}}.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    versions: Mapped[list[PlanVersionRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True, order_by="PlanVersionRow.version",
    )


class PlanVersionRow(Base):
    """One uploaded version of a plan: the source file kept byte for byte."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "version", name="uq_plan_versions_plan_id_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(500))
    source: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    task_count: Mapped[int] = mapped_column(Integer)
    # The version's task ids in table order (an index for checks; the model is rebuilt from ``source``).
    task_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Task ids whose progress carries over from the previous version (None for version 1).
    carried: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # The column mapping the user confirmed on import (header as written → role code), None
    # when every column kept its detected role: the model is rebuilt from ``source`` with it.
    columns: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))

    plan: Mapped[PlanRow] = relationship(back_populates="versions")


class ProgressReportRow(Base):
    """One progress report on one task; append-only (never updated, never deleted but with its plan).

    ``seq`` numbers the reports of a task 1, 2, 3 …; the unique (plan, task, seq) is what
    makes two writers who read the same current report collide instead of both saving.
    """

    __tablename__ = "progress_reports"
    __table_args__ = (
        UniqueConstraint("plan_id", "task_key", "seq", name="uq_progress_reports_plan_task_seq"),
        ForeignKeyConstraint(
            ["plan_id", "version"], ["plan_versions.plan_id", "plan_versions.version"],
            ondelete="CASCADE", name="fk_progress_reports_plan_version",
        ),
        CheckConstraint(STATUS_CHECK, name="status_known"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent_range"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        Index("ix_progress_reports_plan_task", "plan_id", "task_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    task_key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    as_of: Mapped[dt.date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(10))
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_by: Mapped[str] = mapped_column(String(200))
    previous_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), nullable=True,
    )


class MeetingRow(Base):
    """A coordination meeting on a plan: its date, title, place, attendees and agenda.

    ``agenda`` holds the task ids in the order shown (generated from the warnings of the meeting
    date, then edited: reordered, a task added, one dropped); ``agenda_warnings`` the colour and
    reason of each generated item as they were when the agenda was made.
    """

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_plan_date", "plan_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))
    place: Mapped[str] = mapped_column(String(500), default="")
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The warnings the agenda was generated from: {task id: [rag, agenda group, lead]} on the meeting date,
    # before the meeting's own decisions.
    agenda_warnings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class MeetingDecisionRow(Base):
    """A decision of a meeting on one task; append-only. The plan as decided is the published plan
    with every decision applied in ``id`` order (``analysis.meetings.apply_decisions``).

    ``lead`` / ``support``: the new agencies (None: unchanged); ``status``: a status change (also
    saved as a progress report); ``follow_up_due``: with a date, the decision is a follow-up.
    """

    __tablename__ = "meeting_decisions"
    __table_args__ = (
        CheckConstraint("status IS NULL OR " + STATUS_CHECK, name="status_known"),
        Index("ix_meeting_decisions_plan_task", "plan_id", "task_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    task_key: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    lead: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    support: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up_by: Mapped[str] = mapped_column(String(200), default="")
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(200))
