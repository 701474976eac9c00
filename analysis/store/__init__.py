"""The workspace store: plans, their versions and the progress of every task, in a real database.

    from analysis.store import open_workspace
    ws = open_workspace()                      # TASKBOARD_DB, .streamlit/secrets.toml, or data/workspace/taskboard.db
    info = ws.add_plan(data, "tasks.xlsx", actor="王伟")
    info = ws.add_version(info.plan_id, new_data, "tasks-v2.xlsx", actor="王伟")   # info.diff: what changed
    plan = ws.load_plan(info.plan_id)          # the analysis.model.Plan, rebuilt from the kept bytes
    current = ws.current_report(info.plan_id, "3")
    ws.report_progress(info.plan_id, "3", "in_progress", percent=40, actor="李娜",
                       expected_previous=current.report_id if current else None)
    ws.latest_reports(info.plan_id)            # DataFrame, analysis.progress.REPORT_COLUMNS
    ws.task_status(info.plan_id, date)         # DataFrame: id, status, rag, percent, reported_at, reported_by, reason

SQLite (WAL, busy timeout, foreign keys on) by default, PostgreSQL through psycopg 3; one schema,
migrated by Alembic (``analysis/store/migrations``) on first use.
"""

from analysis.store.db import StoreConfigError, resolve_url
from analysis.store.workspace import (
    ConcurrentReportError,
    PlanNotFoundError,
    PlanVersionInfo,
    Report,
    ReportInput,
    ReportValidationError,
    VersionConflictError,
    Workspace,
    WorkspaceError,
    open_workspace,
    read_plan,
)
from analysis.versions import PlanDiff, diff_versions

__all__ = [
    "ConcurrentReportError",
    "PlanDiff",
    "PlanNotFoundError",
    "PlanVersionInfo",
    "Report",
    "ReportInput",
    "ReportValidationError",
    "StoreConfigError",
    "VersionConflictError",
    "Workspace",
    "WorkspaceError",
    "diff_versions",
    "open_workspace",
    "read_plan",
    "resolve_url",
]
