"""The workspace schema: SQLAlchemy 2 typed models, one schema for SQLite and PostgreSQL.

Changes to these models need a migration in ``analysis/store/migrations/versions``; the
tests check that the migrated schema equals the models. Accounts, sessions and the audit
trail (branch auth) are at the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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

from analysis.vocab import AccessRole, ProgressStatus

# Stable constraint names on both databases (migrations refer to them).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLE_CHECK = "role IN (" + ", ".join(f"'{r}'" for r in AccessRole) + ")"
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


class LatestReportRow(Base):
    """Each task's report of the highest ``seq`` (whatever its version), a copy of the fields the
    statuses need: the views across plans read 100 000 of these instead of 1 000 000 reports.

    Kept by the database itself, in the transaction of every report written: a trigger on
    ``progress_reports`` (migration ``0007_lat17``) inserts the row or moves it on to a report of a
    higher ``seq``, so every writer (the store, a bulk load, a restore) keeps it right. Never
    written by the application; dropped with its report (and its plan).
    """

    __tablename__ = "latest_reports"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    task_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[dt.date] = mapped_column(Date)


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


# ---- branch cross (issue 17): agencies across plans ---------------------------------------------


class AgencyLinkRow(Base):
    """A person's link of an agency name as written in a region's plans to another agency of that
    region (usually a registered one): 浙江省经信委 → 省经信厅. One row per (region, name);
    deleting the row undoes the link (``analysis.store.portfolio.AgencyLinks``).

    ``name`` is the normalised name (``analysis.portfolio.identity.normalise_name``).
    """

    __tablename__ = "agency_links"
    __table_args__ = (UniqueConstraint("region", "name", name="uq_agency_links_region_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class PlanDigestRow(Base):
    """What the views across plans read of one plan version, precomputed once (tidy tasks and
    assignments as columnar JSON, ``analysis.portfolio.load.PlanDigest``), so a portfolio of
    1 000 plans never rebuilds 1 000 models. A cache: rebuilt when ``format`` or ``decisions``
    (the highest decision id of the plan) no longer match, dropped with its plan.
    """

    __tablename__ = "plan_digests"
    __table_args__ = (
        UniqueConstraint("plan_id", "version", name="uq_plan_digests_plan_id_version"),
        ForeignKeyConstraint(
            ["plan_id", "version"], ["plan_versions.plan_id", "plan_versions.version"],
            ondelete="CASCADE", name="fk_plan_digests_plan_version",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    format: Mapped[int] = mapped_column(Integer)
    decisions: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RevisionRow(Base):
    """The workspace's revision: one row (``id`` 1) whose ``revision`` is counted up in the same
    transaction as every write (``analysis.store.workspace``'s session events). App servers compare
    it with the value their caches were built at (``dashboard.workspace_state.revision``)."""

    __tablename__ = "workspace_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)


# ------------------------------------------------------------------ accounts and audit (branch auth, issue 18)


class AccountRow(Base):
    """A person who may sign in. ``password_hash``: argon2 (None: no local password, e.g. signs in
    through the identity provider by ``email``, or is only named by the CLI). ``failed_attempts`` /
    ``locked_until``: the per-account rate limit of sign-in attempts."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    grants: Mapped[list[AccountRoleRow]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True, order_by="AccountRoleRow.id",
    )


class AccountRoleRow(Base):
    """One role of an account: a reporter's agencies, a coordinator's (or reporter's) plan (None: all)."""

    __tablename__ = "account_roles"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    agencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), nullable=True)

    account: Mapped[AccountRow] = relationship(back_populates="grants")


class SessionRow(Base):
    """A signed-in session: only the SHA-256 of its token is kept (the token lives in the browser
    session's memory on the server, never in the URL, the page or a log)."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One change to the workspace: who, when, what, before and after. Append-only: a database
    trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL); ``plan_id`` is no foreign key,
    so the trail outlives a removed plan."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_plan_id", "plan_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    plan_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    object: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    after: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
